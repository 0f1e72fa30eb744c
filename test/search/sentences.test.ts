import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/search/sentences.ts';

const sentences = (text: string) => splitSentences(text).map(({ start, end }) => text.slice(start, end));

describe('splitSentences', () => {
  it('cuts English prose at sentence ends, with offsets into the text', () => {
    const text = 'The meeting was held. Was it useful?  Yes! It was.';
    expect(sentences(text)).toEqual(['The meeting was held.', 'Was it useful?', 'Yes!', 'It was.']);
    expect(splitSentences(text)[1]).toEqual({ start: 22, end: 36 });
  });

  it('keeps abbreviations, initials and dotted acronyms inside their sentence', () => {
    const text = 'Dr. Sun met Mr. Li in the U.S. Army base. J. R. R. Tolkien wrote it, e.g. in 1937. See Fig. 3 and No. 4 here.';
    expect(sentences(text)).toEqual(['Dr. Sun met Mr. Li in the U.S. Army base.', 'J. R. R. Tolkien wrote it, e.g. in 1937.', 'See Fig. 3 and No. 4 here.']);
  });

  it('does not cut inside numbers, versions or addresses', () => {
    const text = 'Growth was 3.5 percent, up from 2.9 in v1.2.3 (see example.com). Then it fell.';
    expect(sentences(text)).toEqual(['Growth was 3.5 percent, up from 2.9 in v1.2.3 (see example.com).', 'Then it fell.']);
  });

  it('does not cut before a lower-case word', () => {
    expect(sentences('It costs approx. two dollars. That is all.')).toEqual(['It costs approx. two dollars.', 'That is all.']);
  });

  it('keeps closing quotes and brackets with the sentence they end', () => {
    expect(sentences('He said "stop." (It worked.) Then "go!"')).toEqual(['He said "stop."', '(It worked.)', 'Then "go!"']);
  });

  it('cuts Chinese at 。！？； with no space after them, closing quotes included', () => {
    const text = '会议指出，要深化国有企业改革。他说：“这很重要！”你同意吗？第一点；第二点';
    expect(sentences(text)).toEqual(['会议指出，要深化国有企业改革。', '他说：“这很重要！”', '你同意吗？', '第一点；', '第二点']);
  });

  it('keeps Chinese decimals and mixed text whole', () => {
    expect(sentences('增长3.5%。GDP rose 3.5 percent.')).toEqual(['增长3.5%。', 'GDP rose 3.5 percent.']);
  });

  it('makes each list item a sentence of its own, and joins wrapped prose lines', () => {
    const text = 'Steps to follow\nbefore you start:\n- open the settings\n- click Reset. Confirm it\n1. reboot\n2) done';
    expect(sentences(text)).toEqual(['Steps to follow\nbefore you start:', '- open the settings', '- click Reset.', 'Confirm it', '1. reboot', '2) done']);
  });

  it('makes each code line a sentence, whether fenced or indented, and skips the fences', () => {
    const text = 'Run this:\n```sh\nnpm ci. && npm test\nnpm run build\n```\n    const x = 1.5; y()\nDone.';
    expect(sentences(text)).toEqual(['Run this:', 'npm ci. && npm test', 'npm run build', 'const x = 1.5; y()', 'Done.']);
  });

  it('yields nothing for text without words, and one sentence for text without an end mark', () => {
    expect(splitSentences('  … — !!  ')).toEqual([]);
    expect(sentences('no end mark here')).toEqual(['no end mark here']);
  });
});

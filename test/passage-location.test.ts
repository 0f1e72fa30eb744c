import { describe, expect, it } from 'vitest';
import { passageLocation } from '../src/passage-location.ts';

describe('passageLocation', () => {
  it('names the page of a PDF passage between its section and paragraph, and no page for other formats', () => {
    expect(passageLocation({ title: 'Manual', section: 'Fog', page: 12, paragraphNumber: 3 })).toBe('Manual › Fog › p. 12 › ¶3');
    expect(passageLocation({ title: 'Manual', section: '', page: 1, paragraphNumber: 1 })).toBe('Manual › p. 1 › ¶1');
    expect(passageLocation({ title: 'Guide', section: 'Setup', paragraphNumber: 2 })).toBe('Guide › Setup › ¶2');
  });
});

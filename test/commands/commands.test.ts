import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import addDocument from '../../commands/add-document.ts';
import addSource from '../../commands/add-source.ts';
import ask from '../../commands/ask.ts';
import reindex from '../../commands/reindex.ts';
import removeDocument from '../../commands/remove-document.ts';
import removeSource from '../../commands/remove-source.ts';
import syncSources from '../../commands/sync.ts';
import search from '../../commands/search.ts';
import sources from '../../commands/sources.ts';
import { loadCommands } from '../../src/bot/command-loader.ts';
import { createInteractionRouter } from '../../src/bot/interaction-router.ts';
import { createError } from '../../src/errors.ts';
import { fakeContext, fakeInteraction, fakeKnowledge } from '../support/fake-interaction.ts';

describe('/ask', () => {
  it('asks the engine for this server with the chosen count and replies privately by default', async () => {
    const { knowledge, calls } = fakeKnowledge();
    const { context } = fakeContext(knowledge);
    const interaction = fakeInteraction({ options: { question: 'How do I install?', count: 2 } });
    await ask.execute(interaction as never, context);
    expect(calls[0]).toEqual({ method: 'ask', args: ['How do I install?', { k: 2, server: '111', offset: 0 }] });
    const [reply] = interaction.sent;
    expect(reply).toMatchObject({ kind: 'reply', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    expect(reply!.embeds![0]!.fields![0]!.name).toBe('1. Guide › Setup › ¶2');
    expect(reply!.embeds![0]!.fields![0]!.value).toContain('relevance 81%');
  });

  it('replies publicly when public is true', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge);
    const interaction = fakeInteraction({ options: { question: 'q', public: true } });
    await ask.execute(interaction as never, context);
    expect(interaction.sent[0]!.flags).toBeUndefined();
  });

  it('"More" asks for the next page and feedback records the question and passages shown', async () => {
    const { knowledge } = fakeKnowledge({
      ask: async (question, options) => ({
        question,
        mode: 'keyword',
        answered: true,
        more: (options?.offset ?? 0) === 0,
        passages: [{ document: 'a.md', title: 'A', section: '', paragraphNumber: 1 + (options?.offset ?? 0), score: 0.5, text: 'text', start: 0, end: 4, highlights: [] }],
      }),
    });
    const { context, entries } = fakeContext(knowledge);
    const first = fakeInteraction({ options: { question: 'where is it', count: 1 } });
    await ask.execute(first as never, context);
    const buttons = (first.sent[0]!.components as { components: { custom_id: string }[] }[])[0]!.components.map((b) => b.custom_id);
    expect(buttons).toHaveLength(3);
    const more = buttons.find((id) => id.startsWith('ask:more:'))!;

    const click = fakeInteraction({ kind: 'button', customId: more });
    await ask.button!(click as never, context);
    expect(click.sent[0]!.embeds![0]!.fields![0]!.name).toBe('2. A › ¶2');

    const vote = fakeInteraction({ kind: 'button', customId: buttons.find((id) => id.startsWith('ask:vote:down:'))!, userId: '7' });
    await ask.button!(vote as never, context);
    expect(entries).toEqual([
      expect.objectContaining({ vote: 'down', user: '7', server: '111', question: 'where is it', passages: [{ document: 'a.md', section: '', paragraph: 1, score: 0.5 }] }),
    ]);
  });

  it('says "no confident match" and names the closest document', async () => {
    const { context } = fakeContext(
      fakeKnowledge({ ask: async (question) => ({ question, mode: 'hybrid', answered: false, more: false, passages: [], closest: { title: 'Billing FAQ', document: 'billing.md' } }) }).knowledge,
    );
    const interaction = fakeInteraction({ options: { question: 'unrelated' } });
    await ask.execute(interaction as never, context);
    const description = interaction.sent[0]!.embeds![0]!.description!;
    expect(description).toContain('No confident match');
    expect(description).toContain('Billing FAQ');
    expect(interaction.sent[0]!.components).toEqual([]);
  });
});

describe('/search and /sources', () => {
  it('/search lists one line per hit with its location and first words', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge);
    const interaction = fakeInteraction({ commandName: 'search', options: { query: 'install' } });
    await search.execute(interaction as never, context);
    expect(interaction.sent[0]!.content).toBe('Matches for “install”:\n• **Guide › Setup › ¶2** — Install it with npm ci.');
  });

  it('/sources lists the documents of this server with model and mode', async () => {
    const { knowledge } = fakeKnowledge({
      listDocuments: async () => [{ path: 'faq.md', title: 'FAQ', paragraphs: 12, indexedAt: '2026-11-28T10:00:00.000Z', scope: '111' }],
    });
    const { context } = fakeContext(knowledge);
    const interaction = fakeInteraction({ commandName: 'sources' });
    await sources.execute(interaction as never, context);
    const embed = interaction.sent[0]!.embeds![0]!;
    expect(embed.title).toBe('Sources: 1 document');
    expect(embed.description).toContain(`**FAQ** (this server) — \`faq.md\`, 12 paragraphs, indexed <t:${Date.parse('2026-11-28T10:00:00.000Z') / 1000}:R>`);
    expect(embed.footer!.text).toBe('Embedding model: fake/model (8 dimensions) · mode: hybrid');
  });
});

describe('admin commands', () => {
  it('/reindex defers, then reports the counts', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge);
    const interaction = fakeInteraction({ commandName: 'reindex' });
    await reindex.execute(interaction as never, context);
    expect(interaction.sent[0]).toMatchObject({ kind: 'defer', flags: MessageFlags.Ephemeral });
    expect(interaction.sent.at(-1)!.content).toBe('✅ Reindexed in 1.3 s: 1 added, 0 changed, 0 removed, 2 unchanged; 30 paragraphs, 4 embedded.');
  });

  it('/add-document refuses a disallowed type or an oversize file before downloading', async () => {
    const { knowledge, calls } = fakeKnowledge();
    const { context, downloads } = fakeContext(knowledge);
    const exe = fakeInteraction({ commandName: 'add-document', options: { file: { name: 'setup.exe', size: 10, url: 'http://cdn/x' } } });
    await expect(addDocument.execute(exe as never, context)).rejects.toThrow(/not a supported document/);
    const big = fakeInteraction({ commandName: 'add-document', options: { file: { name: 'big.md', size: 5000, url: 'http://cdn/x' } } });
    await expect(addDocument.execute(big as never, context)).rejects.toThrow(/is 5 KB; the limit is 1000 bytes/);
    expect(downloads).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('/add-document downloads the attachment and adds it to this server', async () => {
    const { knowledge, calls } = fakeKnowledge();
    const { context, downloads } = fakeContext(knowledge);
    const interaction = fakeInteraction({ commandName: 'add-document', options: { file: { name: '../../x.md', size: 40, url: 'http://cdn/x.md' } } });
    await addDocument.execute(interaction as never, context);
    expect(downloads).toEqual(['http://cdn/x.md']);
    expect(calls[0]!.method).toBe('addDocument');
    expect(calls[0]!.args.slice(0, 2)).toEqual(['111', '../../x.md']);
    expect(interaction.sent.at(-1)!.content).toMatch(/^📄 Added `x\.md` to this server's documents\.\n✅ Reindexed/);
  });

  it('/remove-document suggests only this server\'s own documents', async () => {
    const { context } = fakeContext(
      fakeKnowledge({
        listDocuments: async () => [
          { path: 'shared.md', title: 'Shared', paragraphs: 1, indexedAt: '', scope: '' },
          { path: 'ours.md', title: 'Our rules', paragraphs: 1, indexedAt: '', scope: '111' },
        ],
      }).knowledge,
    );
    const interaction = fakeInteraction({ kind: 'autocomplete', commandName: 'remove-document', focused: '' });
    await removeDocument.autocomplete!(interaction as never, context);
    expect(interaction.sent[0]!.choices).toEqual([{ name: 'Our rules (ours.md)', value: 'ours.md' }]);
  });

  it('admin commands are hidden by default member permissions', () => {
    for (const command of [reindex, addDocument, removeDocument, addSource, removeSource, syncSources]) {
      expect(command.data.toJSON().default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    }
  });
});

describe('interaction router', () => {
  async function route(init: Parameters<typeof fakeInteraction>[0], knowledge = fakeKnowledge()) {
    const { context } = fakeContext(knowledge.knowledge);
    const router = createInteractionRouter(await loadCommands(), context, () => true);
    const interaction = fakeInteraction(init);
    await router(interaction as never);
    return { interaction, calls: knowledge.calls };
  }

  it('loads every command in commands/', async () => {
    expect([...(await loadCommands()).keys()]).toEqual(['add-document', 'add-source', 'ask', 'reindex', 'remove-document', 'remove-source', 'search', 'sources', 'sync']);
  });

  it('refuses an admin command to a member without Manage Server or an admin role, even if Discord let it through', async () => {
    const { interaction, calls } = await route({ commandName: 'reindex' });
    expect(interaction.sent[0]).toMatchObject({ kind: 'reply', flags: MessageFlags.Ephemeral });
    expect(interaction.sent[0]!.content).toMatch(/Only server admins/);
    expect(calls).toEqual([]);
  });

  it('lets Manage Server or an ADMIN_ROLE_IDS role run admin commands', async () => {
    expect((await route({ commandName: 'reindex', permissions: PermissionFlagsBits.ManageGuild })).calls[0]!.method).toBe('reindex');
    expect((await route({ commandName: 'reindex', roles: ['900'] })).calls[0]!.method).toBe('reindex');
  });

  it('rate-limits questions per member with a polite private reply', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge);
    const router = createInteractionRouter(await loadCommands(), context, () => true);
    const replies = [];
    for (let i = 0; i < 4; i++) {
      const interaction = fakeInteraction({ commandName: 'ask', options: { question: 'q' } });
      await router(interaction as never);
      replies.push(interaction.sent[0]!);
    }
    expect(replies.slice(0, 3).every((reply) => reply.embeds)).toBe(true);
    expect(replies[3]).toMatchObject({ flags: MessageFlags.Ephemeral, content: "You're asking quickly! Please wait 60 s before the next question." });
  });

  it('rate-limits "More" clicks like questions (each runs a search); votes are not limited', async () => {
    let searches = 0;
    const { knowledge } = fakeKnowledge({ ask: async (question) => (searches++, { question, mode: 'keyword', answered: true, more: true, passages: [{ document: 'a.md', title: 'A', section: '', paragraphNumber: 1, score: 0.5, text: 'text', start: 0, end: 4, highlights: [] }] }) });
    const { context, entries } = fakeContext(knowledge);
    const router = createInteractionRouter(await loadCommands(), context, () => true);
    const question = fakeInteraction({ commandName: 'ask', options: { question: 'q' } });
    await router(question as never);
    const ids = (question.sent[0]!.components as { components: { custom_id: string }[] }[])[0]!.components.map((b) => b.custom_id);
    const clicks = [];
    for (let i = 0; i < 3; i++) {
      const click = fakeInteraction({ kind: 'button', customId: ids.find((id) => id.startsWith('ask:more:'))! });
      await router(click as never);
      clicks.push(click.sent[0]!);
    }
    expect(clicks.slice(0, 2).every((reply) => reply.embeds)).toBe(true);
    expect(clicks[2]).toMatchObject({ flags: MessageFlags.Ephemeral, content: "You're asking quickly! Please wait 60 s before the next question." });
    expect(searches).toBe(3);

    const vote = fakeInteraction({ kind: 'button', customId: ids.find((id) => id.startsWith('ask:vote:up:'))! });
    await router(vote as never);
    expect(vote.sent[0]!.content).toMatch(/feedback was recorded/);
    expect(entries).toHaveLength(1);
  });

  it('shows a coded error\'s message, and only a generic apology for a bug', async () => {
    const coded = await route({ commandName: 'ask', options: { question: ' ' } }, fakeKnowledge({ ask: async () => { throw createError('EMPTY_QUESTION'); } }));
    expect(coded.interaction.sent[0]).toMatchObject({ flags: MessageFlags.Ephemeral, content: 'Please ask a question: the text was empty.' });
    const bug = await route({ commandName: 'ask', options: { question: 'q' } }, fakeKnowledge({ ask: async () => { throw new TypeError('x is undefined at line 3'); } }));
    expect(bug.interaction.sent[0]!.content).toBe('Something went wrong on our side; the error has been logged.');
  });
});

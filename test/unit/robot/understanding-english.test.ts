/**
 * Issue 14, "Understanding": English questions get English answers about the right
 * service, whichever language the screen shows (a visitor may speak English to a robot
 * on its Chinese screen). Phrasings marked "unseen" were written after the change and
 * never tuned on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigDir } from '../../../config/load.ts';
import { createEngine, knowledgeFromConfig, type Answer, type Engine } from '../../../models/language/index.ts';

let engine: Engine;
const cfg = loadConfigDir();

beforeAll(() => {
  engine = createEngine(knowledgeFromConfig(cfg), { contextSeconds: 45 });
});

const ask = (q: string, lang?: 'zh' | 'en'): Promise<Answer> => engine.ask(q, engine.newSession(), lang ? { lang } : {});
const CJK = /[\u3400-\u9fff]/;
const windowsOf = (group: string) => cfg.hall.windows.filter((w) => w.groups.includes(group)).map((w) => w.id);
const itemTitle = (code: string) => cfg.catalogue.items.find((i) => i.code === code)!.name;

describe('English questions about a service get an English answer about that service', () => {
  const cases: [string, string][] = [
    ['How do I apply for a passport?', 'GZ-CRJ-002'],
    ['Where do I register a marriage?', 'GZ-MZ-001'],
    ['I lost my ID card, what should I do?', 'GZ-GA-004'],
    ['What documents do I need for a residence permit?', 'GZ-GA-001'],
    // unseen
    ['Where can I get a social security card?', 'GZ-SB-001'],
    ['I want to withdraw my housing provident fund', 'GZ-GJJ-001'],
    ['How do I renew my driving licence?', 'GZ-JJ-001'],
  ];
  for (const [q, code] of cases) {
    for (const lang of [undefined, 'en'] as const) {
      it(`${q} (${lang ? 'English screen' : 'Chinese screen'}) → ${itemTitle(code)}, in English`, async () => {
        const a = await ask(q, lang);
        expect(a.match?.id).toBe(code);
        expect(a.answer).not.toMatch(CJK);
      });
    }
  }

  it('what to bring is answered as materials', async () => {
    expect((await ask('What documents do I need for a residence permit?')).intent).toBe('item.materials');
  });
});

describe("English questions about the hall's places and service areas", () => {
  for (const [q, id] of [['Where is the toilet?', 'toilet-1'], ['Where are the lifts', 'lift-1'], /* unseen */ ['Is there a photo booth?', 'photo']] as const) {
    it(`${q} → ${id}`, async () => {
      const a = await ask(q);
      expect(a.guide).toMatchObject({ kind: 'place', id });
      expect(a.answer).not.toMatch(CJK);
    });
  }

  for (const [q, group, lead] of [['Where is the social insurance window?', 'social', false], ['Take me to the housing fund', 'fund', true], /* unseen */ ['Which window is for tax?', 'business', false]] as const) {
    it(`${q} → the ${group} windows`, async () => {
      const a = await ask(q);
      expect(a.intent).toBe('navigate');
      expect(windowsOf(group)).toContain(a.guide?.id);
      expect(Boolean(a.lead)).toBe(lead);
      expect(a.answer).not.toMatch(CJK);
    });
  }

  for (const [q, group] of [['I want a ticket for the housing fund', 'fund'], /* unseen */ ['Can I get a queue number for social insurance?', 'social']] as const) {
    it(`${q} → a ticket of ${group}`, async () => {
      const a = await ask(q);
      expect(a.intent).toBe('ticket');
      expect(a.ticket?.group).toBe(group);
      expect(a.answer).not.toMatch(CJK);
    });
  }
});

describe('English questions the hall cannot answer are not answered with a place', () => {
  for (const q of ['Where can I buy a coffee?', 'What is the weather tomorrow', /* unseen */ 'Do you sell train tickets to Shenzhen?']) {
    it(q, async () => {
      const a = await ask(q);
      expect(a.intent).toBe('out-of-scope');
      expect(a.match).toBeNull();
      expect(a.answer).not.toMatch(CJK);
    });
  }
});

import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp } from '../kit/programs/app';
import {
  describeViolations,
  openWatchedPage,
  screenshot,
  seriousAxeViolations,
} from '../kit/programs/browser';
import { findLesson, findStep, lessons } from '../../src/content/lessons/index';

/** A lesson step by ids (lessons are looked up by id, never by their place in the list). */
const lessonStep = (lesson: string, step: string) => findStep(findLesson(lesson)!, step)!.step;

const app = useBuiltApp();

const h1 = (page: Page) => page.locator('h1').first().textContent();
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

/** Tab until the focused element matches, at most `max` presses. */
async function tabTo(page: Page, test: () => Promise<boolean>, max = 15): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await test()) return;
  }
  throw new Error('the element was not reached with Tab');
}

const focusedRadioValue = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el instanceof HTMLInputElement && el.type === 'radio' ? el.value : '';
  });

describe('lessons', () => {
  it('a lesson can be completed with the keyboard only, with right and wrong predictions', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    const fs = lessons.find((l) => l.id === 'forward-secrecy')!;
    await page.goto(`${app.url}#/lessons/forward-secrecy/${fs.steps[0]!.id}?eve=1`);
    await expect.poll(() => h1(page)).toBe(fs.steps[0]!.title);
    await expect
      .poll(() => page.locator('.lesson-lab h1').textContent(), { timeout: 20_000 })
      .toBe('Handshake Lab');

    // → moves to the next step (and not the embedded handshake's own step).
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => h1(page)).toBe(fs.steps[1]!.title);
    expect(page.url()).toContain('#/lessons/forward-secrecy/static-rsa?offer=009c&eve=1');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-title');
    // Predict first: the lab is hidden until answered.
    expect(await page.locator('.lesson-lab .hidden-result').count()).toBe(1);
    expect(await page.locator('.lesson-lab h1').count()).toBe(0);

    // The right answer ('yes'), chosen with Tab, Space and Enter.
    await tabTo(page, async () => (await focusedRadioValue(page)) !== '');
    for (let i = 0; i < 3 && (await focusedRadioValue(page)) !== 'yes'; i++)
      await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await tabTo(page, async () => (await focusedText(page)) === 'Check my answer');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="feedback"] strong').textContent()).toBe('Right.');
    expect(await page.locator('[data-testid="feedback"]').textContent()).toContain('no forward secrecy');
    await expect
      .poll(() => page.locator('.lesson-lab h1').textContent(), { timeout: 20_000 })
      .toBe('Handshake Lab');

    // Next step: a wrong answer ('yes' again; the answer is 'no').
    await page.locator('#step-title').focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => h1(page)).toBe(fs.steps[2]!.title);
    await tabTo(page, async () => (await focusedRadioValue(page)) !== '');
    for (let i = 0; i < 3 && (await focusedRadioValue(page)) !== 'yes'; i++)
      await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await tabTo(page, async () => (await focusedText(page)) === 'Check my answer');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="feedback"] strong').textContent()).toBe('Not quite.');
    const feedback = await page.locator('[data-testid="feedback"]').textContent();
    expect(feedback).toContain('The answer is “No: the pre-master secret came from ephemeral keys');
    expect(feedback).toContain('forward secrecy');
    await screenshot(page, 'lessons-feedback-wrong');

    // ← goes back and keeps the first answer; → → reaches the last step and finishes the lesson.
    await page.locator('#step-title').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => h1(page)).toBe(fs.steps[1]!.title);
    await expect.poll(() => page.locator('[data-testid="feedback"] strong').textContent()).toBe('Right.');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => h1(page)).toBe(fs.steps[2]!.title);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => h1(page)).toBe(fs.steps[3]!.title);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('#lesson-done').textContent()).toContain('Lesson complete');
    expect(await page.locator('#lesson-done').textContent()).toContain(
      'You predicted 1 of 2 outcomes right.',
    );

    // The score is kept (versioned key) and shown on the list.
    const stored = JSON.parse(
      (await page.evaluate(() => localStorage.getItem('tls-lab.lessons.v1'))) ?? '{}',
    );
    expect(stored.lessons['forward-secrecy'].completed).toBe(true);
    await page.goto(`${app.url}#/lessons`);
    await expect.poll(() => h1(page)).toBe('Lessons');
    const card = page.locator('.card', { hasText: fs.title });
    await expect.poll(() => card.textContent()).toContain('completed');
    expect(await card.textContent()).toContain('1 of 2 predicted right');

    // A corrupted score entry is ignored, never a crash.
    await page.evaluate(() => localStorage.setItem('tls-lab.lessons.v1', '{"version":1,"lessons":{"x":'));
    await page.reload();
    await expect.poll(() => h1(page)).toBe('Lessons');
    expect(await page.locator('.card').count()).toBe(lessons.length);
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("a link to a lesson without its step or lab state still shows the lab in that step's state", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    await page.goto(`${app.url}#/lessons/forward-secrecy`);
    await expect
      .poll(() => page.url(), { timeout: 20_000 })
      .toMatch(/#\/lessons\/forward-secrecy\/[a-z0-9-]+\?.*eve=1/);
    await expect
      .poll(() => page.getByRole('checkbox', { name: 'What an eavesdropper sees' }).isChecked(), {
        timeout: 30_000,
      })
      .toBe(true);
    // The learner may still change the lab: the step's state is applied once, on arrival.
    await page.getByRole('checkbox', { name: 'What an eavesdropper sees' }).uncheck();
    await expect.poll(() => page.url()).not.toMatch(/eve=1/);
    expect(await page.getByRole('checkbox', { name: 'What an eavesdropper sees' }).isChecked()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('presenter mode: no chrome, keys navigate, the notes window follows over BroadcastChannel', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    const cs = lessons.find((l) => l.id === 'cross-signing')!;
    await page.goto(`${app.url}#/lessons/cross-signing/${cs.steps[0]!.id}?sample=azure-cross-sign&present=1`);
    await expect.poll(() => h1(page)).toBe(cs.steps[0]!.title);
    expect(await page.locator('.site-header').count()).toBe(0);
    expect(await page.locator('.site-footer').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-present'))).toBe(true);
    expect(await page.locator('.lesson-step progress').getAttribute('value')).toBe('1');
    // One live region for the lesson, which stays while the steps change (a new one arriving with its text is not
    // announced): marked now, and read again after a move.
    const status = page.locator('p[role="status"]', { hasText: /^Step \d+ of \d+$/ });
    expect(await status.textContent()).toBe(`Step 1 of ${cs.steps.length}`);
    await status.evaluate((e) => e.setAttribute('data-marked', ''));

    // The "Open speaker notes" button opens the notes page in a window of its own.
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Open speaker notes' }).click(),
    ]);
    await popup.waitForLoadState();
    expect(popup.url()).toContain(`#/lessons/cross-signing/${cs.steps[0]!.id}`);
    expect(popup.url()).toContain('notes=1');
    await expect.poll(() => popup.locator('#notes-title').textContent()).toBe(cs.steps[0]!.title);
    expect(await popup.locator('.note').textContent()).toBe(cs.steps[0]!.notes);

    // A second notes page, opened by hand in the same context, follows too.
    const notes = await context.newPage();
    await notes.goto(`${app.url}#/lessons/cross-signing/${cs.steps[0]!.id}?notes=1`);
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[0]!.title);

    await page.locator('#step-title').focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => h1(page)).toBe(cs.steps[1]!.title);
    expect(await page.locator('p[role="status"][data-marked]').textContent()).toBe(
      `Step 2 of ${cs.steps.length}`,
    );
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[1]!.title);
    await expect.poll(() => popup.locator('#notes-title').textContent()).toBe(cs.steps[1]!.title);
    expect(page.url()).toContain('present=1');
    expect(notes.url()).toContain('notes=1');

    await page.keyboard.press('Space');
    await expect.poll(() => h1(page)).toBe(cs.steps[2]!.title);
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[2]!.title);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[3]!.title);
    await page.keyboard.press('PageUp');
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[2]!.title);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => h1(page)).toBe(cs.steps[1]!.title);
    await expect.poll(() => notes.locator('#notes-title').textContent()).toBe(cs.steps[1]!.title);
    expect(await page.locator('.lesson-step progress').getAttribute('value')).toBe('2');

    // The notes window can lead as well.
    await notes.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => h1(page)).toBe(cs.steps[2]!.title);
    await screenshot(page, 'lessons-presenter');
    await screenshot(notes, 'lessons-notes');

    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("keys pressed on a lesson around its lab are the lesson's: Space on the heading does not play the lab", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const step = lessonStep('tls13-one-round-trip', 'key-schedule');
    await page.goto(
      `${app.url}#/lessons/tls13-one-round-trip/key-schedule?${new URLSearchParams(step.state)}`,
    );
    await expect
      .poll(() => page.locator('.lesson-lab #outcome-title').textContent(), { timeout: 30_000 })
      .toBe('Handshake complete');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Space');
    await page.waitForTimeout(200);
    expect(await page.locator('.lesson-lab .stepper button[aria-pressed="true"]').count()).toBe(0);
    // Inside the lab, its keys are the lab's, Page Down included: after its Next button, and after a click on its
    // diagram (which focuses the lab's section, not the page's main region).
    const count = () => page.locator('.lesson-lab .position .count').textContent();
    await page.locator('.lesson-lab .stepper').getByRole('button', { name: 'Next →' }).click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(count).toMatch(/^Step 3 of /);
    await page.locator('.lesson-lab .sequence svg').click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(count).toMatch(/^Step 4 of /);
    await page.keyboard.press('PageDown');
    await expect.poll(count).toMatch(/^Step 5 of /);
    await page.keyboard.press('End');
    await expect.poll(count).toMatch(/^Step (\d+) of \1$/);
    expect(page.url()).toContain('/key-schedule?');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.lesson-lab .stepper button[aria-pressed="true"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a click inside a lab without steps of its own (the Chain Lab) leaves Page Down to the lesson', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const lesson = findLesson('certificates-and-chains')!;
    const [first, second] = lesson.steps;
    await page.goto(`${app.url}#/lessons/${lesson.id}/${first!.id}?${new URLSearchParams(first!.state)}`);
    await expect.poll(() => page.locator('.lesson-lab p').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.locator('.lesson-lab p').first().click();
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.url()).toContain(`/${lesson.id}/${second!.id}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a presented lesson keeps its step when the sslmode Lab inside it shows the matrix (present=1 is the lesson's)", async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const lesson = lessons.find((l) => l.id === 'sslmode-protections')!;
    const step = lesson.steps[0]!;
    const state = new URLSearchParams({ ...step.state, view: 'matrix', present: '1' });
    await page.goto(`${app.url}#/lessons/${lesson.id}/${step.id}?${state}`);
    await expect.poll(() => page.locator('.lesson-lab .matrix').count(), { timeout: 30_000 }).toBe(1);
    expect(await h1(page)).toBe(step.title);
    expect(await page.locator('.presenter').count()).toBe(0);
    // Opening a cell shows its trace in the step and leaves the lesson in presenter mode.
    await page.locator('.lesson-lab .matrix td button').first().click();
    await expect.poll(() => page.url()).not.toContain('view=matrix');
    expect(page.url()).toContain('present=1');
    expect(await h1(page)).toBe(step.title);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('embed mode hides the chrome and reports its height to the parent page', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    const src = `${app.url}#/handshake?fault=expired-certificate&embed=1`;
    await page.setContent(`<!doctype html><html lang="en"><head><title>Host</title></head><body>
      <h1>A tutorial</h1>
      <iframe id="lab" title="TLS Lab" src="${src}" style="width:100%;border:0"></iframe>
      <script>
        window.heights = [];
        window.addEventListener('message', (e) => {
          if (e.data && e.data.type === 'tls-lab:height') {
            window.heights.push(e.data.height);
            document.getElementById('lab').style.height = e.data.height + 'px';
          }
        });
      </script></body></html>`);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { heights: number[] }).heights.length), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    const frame = page.frames().find((f) => f.url().includes('embed=1'))!;
    await expect
      .poll(() => frame.locator('h1').first().textContent(), { timeout: 20_000 })
      .toBe('Handshake Lab');
    expect(await frame.locator('.site-header').count()).toBe(0);
    expect(await frame.locator('.site-footer').count()).toBe(0);
    // The reported height follows the content (it grows as the lab renders) and the iframe is sized to it.
    await expect
      .poll(
        async () => {
          const heights = await page.evaluate(() => (window as unknown as { heights: number[] }).heights);
          const content = await frame.evaluate(() =>
            Math.ceil(document.getElementById('app')!.getBoundingClientRect().height),
          );
          return heights.at(-1) === content && content > 300;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const iframeHeight = await page.evaluate(
      () => document.getElementById('lab')!.getBoundingClientRect().height,
    );
    expect(iframeHeight).toBeGreaterThan(300);
    await screenshot(page, 'lessons-embed-host');
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('an embedded lesson linked without its lab state leaves the host page its focus and scroll; its links open a new tab', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const src = `${app.url}#/lessons/troubleshooting/root-missing?embed=1`;
    await page.setContent(`<!doctype html><html lang="en"><head><title>Host</title></head><body>
      <h1>A tutorial</h1><div style="height:2000px"></div>
      <iframe id="lab" title="TLS Lab lesson" src="${src}" style="width:700px;height:500px;border:0"></iframe>
      </body></html>`);
    const frame = () => page.frames().find((f) => f.url().includes('embed=1'));
    // The step's lab state is written into the frame's address once it has loaded.
    await expect
      .poll(async () => (await frame()?.evaluate(() => location.hash)) ?? '', { timeout: 30_000 })
      .toContain('conninfo=');
    await expect.poll(() => frame()!.locator('#step-title').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.evaluate(() => [document.activeElement?.tagName, window.scrollY])).toEqual(['BODY', 0]);
    // A link out of the lesson opens the whole site in a new tab, not inside the frame.
    expect(await frame()!.getByRole('link', { name: 'Lessons' }).getAttribute('target')).toBe('_blank');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('presenter mode: a clicker press moves the lesson after a click on a choice; a keyboard user keeps the arrows', async () => {
    const { page, context, errors } = await openWatchedPage(app.browser, app.url);
    const lesson = lessons.find((l) => l.steps.some((s, i) => s.checkpoint && i < l.steps.length - 1))!;
    const at = lesson.steps.findIndex((s) => s.checkpoint);
    const [step, next] = [lesson.steps[at]!, lesson.steps[at + 1]!];
    await page.goto(`${app.url}#/lessons/${lesson.id}/${step.id}?present=1`);
    await expect.poll(() => h1(page), { timeout: 30_000 }).toBe(step.title);
    const choices = page.locator('.checkpoint input[type="radio"]');
    // Clicked, then the clicker's keys: the lesson moves, the choice does not.
    await choices.first().click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => h1(page)).toBe(next.title);
    await page.keyboard.press('PageUp');
    await expect.poll(() => h1(page)).toBe(step.title);
    expect(await page.locator('.checkpoint [role="status"], .checkpoint .result').count()).toBe(0);
    // Reached with Tab: the arrows pick a choice, the step stays.
    await page.locator('#step-title').focus();
    while (
      !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'radio'))
    )
      await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await h1(page)).toBe(step.title);
    expect(await choices.nth(1).isChecked()).toBe(true);
    // The same choice, focused by the keyboard and then clicked: the clicker's next press moves the lesson.
    await choices.nth(1).click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => h1(page)).toBe(next.title);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('presenter mode on a narrow screen (390 px, and 512 px: a 1280 px projector at 250%) does not scroll sideways', async () => {
    // The steps that did: long setting names in the text and the forms, the field tree and the byte view.
    const steps = [
      'common-claims/min-protocol-values',
      'common-claims/require-client-cert',
      'troubleshooting/protocol-version',
      'tls13-one-round-trip/side-by-side',
      'tls13-one-round-trip/key-schedule',
      'sslmode-protections/disable',
      'tls12-handshake/key-exchange',
    ];
    for (const width of [390, 512]) {
      const { page, context, errors } = await openWatchedPage(app.browser, app.url, {
        viewport: { width, height: 844 },
      });
      for (const step of steps) {
        await page.goto('about:blank');
        await page.goto(`${app.url}#/lessons/${step}?present=1`);
        await expect.poll(() => page.locator('#step-title').count(), { timeout: 30_000 }).toBe(1);
        await expect
          .poll(() => page.locator('.lesson-lab h1, .lesson-lab h2, .hidden-result').count(), {
            timeout: 30_000,
          })
          .toBeGreaterThan(0);
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth),
          `${step} at ${width} px`,
        ).toBeLessThanOrEqual(width);
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('works offline after one visit (service worker), and ships an installable manifest', async () => {
    const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url);
    await page.goto(`${app.url}#/lessons/cross-signing/le-after`);
    await expect.poll(() => h1(page)).toBe(lessonStep('cross-signing', 'le-after').title);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((ok) =>
          navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }),
        );
      }
    });
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (href) => (await fetch(href!)).json(), manifestHref);
    expect(manifest).toMatchObject({ name: 'TLS Lab', display: 'standalone' });
    expect(manifest.icons[0].type).toBe('image/svg+xml');

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => h1(page)).toBe(lessonStep('cross-signing', 'le-after').title);
    // Lazy chunks (the labs) come from the cache as well.
    await page.goto(`${app.url}#/sslmode?attacker=1`);
    await expect.poll(() => h1(page), { timeout: 20_000 }).toBe('sslmode Lab');
    await page.goto(`${app.url}#/lessons/cross-signing/azure-two-roots`);
    await expect
      .poll(() => page.locator('.lesson-lab h1').textContent(), { timeout: 20_000 })
      .toBe('Chain Lab');
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.setOffline(false);
    await context.close();
  });

  describe('axe-core, light and dark', () => {
    const pages = [
      { name: 'list', hash: '#/lessons', heading: 'Lessons' },
      {
        name: 'exercise',
        hash: '#/lessons/sslmode-protections/prefer',
        heading: lessonStep('sslmode-protections', 'prefer').title,
      },
      {
        name: 'step-with-lab',
        hash: `#/lessons/troubleshooting/host-mismatch?${new URLSearchParams(lessonStep('troubleshooting', 'host-mismatch').state).toString()}`,
        heading: lessonStep('troubleshooting', 'host-mismatch').title,
        lab: 'sslmode Lab',
      },
      {
        name: 'presenter',
        hash: `#/lessons/tls12-handshake/client-hello?step=0&present=1`,
        heading: lessonStep('tls12-handshake', 'client-hello').title,
        lab: 'Handshake Lab',
      },
      {
        name: 'tls13-key-schedule',
        hash: `#/lessons/tls13-one-round-trip/key-schedule?${new URLSearchParams(lessonStep('tls13-one-round-trip', 'key-schedule').state).toString()}`,
        heading: lessonStep('tls13-one-round-trip', 'key-schedule').title,
        lab: 'Handshake Lab',
      },
      {
        name: 'notes',
        hash: '#/lessons/certificates-and-chains/expired?notes=1',
        heading: lessonStep('certificates-and-chains', 'expired').title,
      },
    ];
    for (const scheme of ['light', 'dark'] as const) {
      for (const p of pages) {
        it(`${p.name} (${scheme})`, async () => {
          const { page, context, errors, foreignRequests } = await openWatchedPage(app.browser, app.url, {
            colorScheme: scheme,
          });
          await page.goto(app.url + p.hash);
          await expect.poll(() => h1(page)).toBe(p.heading);
          if (p.lab) {
            await expect
              .poll(() => page.locator('.lesson-lab h1').textContent(), { timeout: 20_000 })
              .toBe(p.lab);
            await page.waitForTimeout(500);
          }
          const violations = await seriousAxeViolations(page);
          expect(violations, describeViolations(violations)).toEqual([]);
          await screenshot(page, `lessons-${p.name}-${scheme}`);
          expect(errors).toEqual([]);
          expect(foreignRequests).toEqual([]);
          await context.close();
        });
      }
    }
  });
});

// The Getting Started walkthrough as contributed in package.json, and when it opens by itself.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTEXT, WALKTHROUGH_ID, WALKTHROUGH_STEPS, shouldOpenWalkthrough } from '../../src/ui/walkthrough';

const ROOT = path.resolve(__dirname, '../..');
interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: {
    walkthroughs: { id: string; title: string; steps: Step[] }[];
    commands: { command: string }[];
    viewsWelcome: { view: string; contents: string }[];
  };
};
const walkthrough = pkg.contributes.walkthroughs[0]!;
const commandIds = new Set(pkg.contributes.commands.map((c) => c.command));
const commandLinks = (md: string) => [...md.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);

describe('walkthrough', () => {
  it('is contributed under the id the extension opens', () => {
    assert.equal(`${pkg.publisher}.${pkg.name}#${walkthrough.id}`, WALKTHROUGH_ID);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      [...WALKTHROUGH_STEPS],
    );
  });

  it('every step has a command button of ours (or our view), Markdown that exists, and completion events', () => {
    for (const step of walkthrough.steps) {
      const links = commandLinks(step.description);
      assert.ok(links.length >= 1, `step ${step.id} has no command button`);
      for (const id of links)
        assert.ok(commandIds.has(id) || id === 'mcpManager.servers.focus', `step ${step.id} links to ${id}, which we do not contribute`);
      assert.ok(step.media.markdown, `step ${step.id} has no Markdown`);
      assert.ok(fs.existsSync(path.join(ROOT, step.media.markdown)), `${step.media.markdown} is missing`);
      assert.ok(step.completionEvents?.length, `step ${step.id} is never marked done`);
      for (const ev of step.completionEvents!) {
        const [kind, arg] = ev.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commandIds.has(arg!), `step ${step.id}: ${ev} names a command we do not contribute`);
        else if (kind === 'onContext')
          assert.ok((Object.values(CONTEXT) as string[]).includes(arg!), `step ${step.id}: ${ev} is not a context key the extension sets`);
        else assert.fail(`step ${step.id}: unexpected completion event ${ev}`);
      }
    }
  });

  it("the Servers view's welcome content offers Add Server, Import and the walkthrough", () => {
    const welcome = pkg.contributes.viewsWelcome
      .filter((w) => w.view === 'mcpManager.servers')
      .map((w) => w.contents)
      .join('\n');
    const links = commandLinks(welcome);
    for (const id of ['mcpManager.addServer', 'mcpManager.importServers', 'mcpManager.openWalkthrough'])
      assert.ok(links.includes(id), `welcome content lacks ${id}`);
  });

  it("opens by itself once, after install, in an installed extension only, and never against the user's setting", () => {
    assert.equal(shouldOpenWalkthrough({ alreadyShown: false, production: true, openOnInstall: undefined }), true);
    assert.equal(shouldOpenWalkthrough({ alreadyShown: false, production: true, openOnInstall: true }), true);
    assert.equal(
      shouldOpenWalkthrough({ alreadyShown: true, production: true, openOnInstall: true }),
      false,
      'opened before: never again unasked',
    );
    assert.equal(
      shouldOpenWalkthrough({ alreadyShown: false, production: true, openOnInstall: false }),
      false,
      'workbench.welcomePage.walkthroughs.openOnInstall: false',
    );
    assert.equal(
      shouldOpenWalkthrough({ alreadyShown: false, production: false, openOnInstall: true }),
      false,
      'development and test hosts',
    );
  });
});

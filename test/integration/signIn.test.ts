// Sign-in to an OAuth server in the real extension host: the fixture authorization server and a
// protected MCP server in front of the v2 fixture (test/fixtures/oauth), both on 127.0.0.1. The
// browser is a stand-in that consents (consentUi); everything else is real: SecretStorage, the
// loopback listener, the tree's states and actions, the connection.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { ServerNode, TreeNode } from '../../src/ui/tree/nodes';
import { consentUi, startAuthServer, startProtectedServer, type AuthServer, type ProtectedServer } from '../fixtures/oauth';
import { scriptedUi } from './helpers/configHelpers';
import { fixture, getApi, MARKER, NODE, rememberServers, resultText, setServers, waitFor } from './helpers/mcpm';

describe('signing in to OAuth servers', function () {
  let upstream: ChildProcess;
  let as: AuthServer;
  let rs: ProtectedServer;
  let saved: ReturnType<typeof rememberServers>;
  let upstreamUrl: string;

  before(async () => {
    saved = rememberServers();
    upstream = spawn(NODE, [fixture('eras', 'modern.mjs'), '--http', '--era', 'both', '--port', '0', MARKER], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const url = await new Promise<string>((resolve, reject) => {
      upstream.stderr!.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        const m = /^LISTENING (\S+)$/m.exec(err);
        if (m) resolve(m[1]!);
      });
      upstream.once('exit', (code) => reject(new Error(`the upstream fixture exited (${code}): ${err}`)));
    });
    upstreamUrl = url;
    as = await startAuthServer();
    rs = await startProtectedServer({ upstream: url, authServer: as });
  });

  after(async () => {
    await saved.restore();
    await rs?.close();
    await as?.close();
    upstream?.kill();
  });

  const tree = async () => (await getApi())._test.tree;
  const node = async (name: string) => {
    const t = await tree();
    const n = t.getChildren().find((x): x is ServerNode => x.kind === 'server' && x.serverName === name);
    assert.ok(n, `no node for ${name}`);
    return n;
  };
  const item = async (n: TreeNode) => (await tree()).getTreeItem(n);
  const tooltip = async (n: TreeNode) => {
    const t = await tree();
    const tip = t.resolveTreeItem(t.getTreeItem(n), n).tooltip;
    return typeof tip === 'string' ? tip : (tip?.value ?? '');
  };

  it('a protected server shows "sign-in required"; Sign In signs in, calls work, Sign Out returns it there', async () => {
    const api = await getApi();
    const ui = consentUi();
    const restore = api._test.auth.useUi(ui);
    try {
      await setServers({ secure: { type: 'http', url: rs.url } });
      const secure = await node('secure');
      (await tree()).getChildren(secure); // expanding starts it: the server answers 401
      const conn = api._test.registry.get('secure')!;
      await waitFor('sign-in required', () => conn.state.kind === 'error' && conn.state.signInRequired);
      assert.equal(ui.opened.length, 0, 'nothing opens the browser until the person signs in');
      let it = await item(secure);
      assert.equal(it.contextValue, 'mcpServer;signInRequired;http;oauth;');
      assert.equal(it.description, 'http · sign-in required');
      const children = (await tree()).getChildren(secure);
      assert.equal(children[0]?.kind === 'message' && children[0].role, 'signIn');
      assert.equal((await item(children[0]!)).command?.command, 'mcpManager.signIn');

      assert.equal(await vscode.commands.executeCommand('mcpManager.signIn', { serverName: 'secure' }), true);
      assert.equal(ui.opened.length, 1);
      assert.equal(ui.opened[0]!.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(ui.opened[0]!.searchParams.get('resource'), rs.url);
      await waitFor('running after the sign-in', () => conn.state.kind === 'running');
      assert.equal(resultText(await api.callTool('secure', 'echo', { message: 'signed' })), 'Echo: signed');
      it = await item(secure);
      assert.equal(it.contextValue, 'mcpServer;running;http;oauth;');
      await waitFor('the tooltip naming the sign-in', async () =>
        /Signed in at http:\/\/127\\?\.0\\?\.0\\?\.1:\d+/.test(await tooltip(secure)),
      );
      assert.doesNotMatch(await tooltip(secure), /access_token|Bearer /);

      // Tokens live in SecretStorage only: not in any settings file of the window.
      const stored = await api._test.auth.store.read('secure');
      const token = stored?.issuer ? stored.issuers[stored.issuer]?.tokens?.access_token : undefined;
      assert.ok(token, 'the token is in SecretStorage');
      for (const f of vscode.workspace.workspaceFolders ?? []) {
        const settings = vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json').fsPath;
        if (fs.existsSync(settings)) assert.ok(!fs.readFileSync(settings, 'utf8').includes(token), settings);
      }

      assert.equal(await vscode.commands.executeCommand('mcpManager.signOut', { serverName: 'secure' }), true);
      (await tree()).getChildren(await node('secure'));
      await vscode.commands.executeCommand('mcpManager.startServer', { serverName: 'secure' });
      await waitFor('sign-in required again', () => conn.state.kind === 'error' && conn.state.signInRequired);
      assert.equal(ui.opened.length, 1, 'signing out opens nothing');
    } finally {
      restore();
    }
  });

  it('Stop Server while the browser is open ends the sign-in, with nothing left listening', async () => {
    const api = await getApi();
    const ui = consentUi('never');
    const restore = api._test.auth.useUi(ui);
    try {
      await setServers({ waiting: { type: 'http', url: rs.url } });
      const conn = api._test.registry.get('waiting')!;
      await vscode.commands.executeCommand('mcpManager.startServer', { serverName: 'waiting' });
      await waitFor('sign-in required', () => conn.state.kind === 'error' && conn.state.signInRequired);
      const signingIn = vscode.commands.executeCommand<boolean>('mcpManager.signIn', { serverName: 'waiting' });
      await waitFor('the browser opened', () => ui.opened.length === 1);
      const port = Number(new URL(ui.opened[0]!.searchParams.get('redirect_uri')!).port);
      await vscode.commands.executeCommand('mcpManager.stopServer', { serverName: 'waiting' });
      assert.equal(await signingIn, false, 'the sign-in ended, not signed in');
      const stillListening = await new Promise<boolean>((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        sock.once('connect', () => (sock.destroy(), resolve(true)));
        sock.once('error', () => resolve(false));
      });
      assert.equal(stillListening, false, 'the loopback listener is closed');
      assert.equal(conn.state.kind, 'stopped');
    } finally {
      restore();
    }
  });

  it('a revoked sign-in returns the server to "sign-in required" without retrying in a loop', async () => {
    const api = await getApi();
    const ui = consentUi();
    const restore = api._test.auth.useUi(ui);
    try {
      await setServers({ secure: { type: 'http', url: rs.url } });
      assert.equal(await vscode.commands.executeCommand('mcpManager.signIn', { serverName: 'secure' }), true);
      const conn = api._test.registry.get('secure')!;
      await waitFor('running', () => conn.state.kind === 'running');
      const authorizations = as.events.authorize.length;
      as.revokeAll();
      await assert.rejects(api.callTool('secure', 'echo', { message: 'x' }));
      await waitFor('sign-in required', () => conn.state.kind === 'error' && conn.state.signInRequired);
      // Counted as waiting for sign-in, not as failed (no error colour).
      await waitFor('the status bar to count it', () => api._test.statusBar.text === '$(plug) 0 $(account) 1');
      assert.equal(as.events.authorize.length, authorizations, 'no new authorization was started by itself');
      assert.equal(ui.opened.length, 1);
    } finally {
      await vscode.commands.executeCommand('mcpManager.signOut', { serverName: 'secure' });
      restore();
    }
  });
  it("where the authorization server is an account provider's, Sign In offers that account, or the browser", async () => {
    // The test extension's "Test Account" provider declares http://127.0.0.1:*/test-account (as
    // GitHub's declares https://github.com/login/oauth).
    const accountAs = await startAuthServer({ path: '/test-account' });
    const accountRs = await startProtectedServer({ upstream: upstreamUrl, authServer: accountAs });
    accountAs.knobs.accountResource = accountRs.resource;
    await vscode.workspace.getConfiguration('mcpmTest').update('accountIssuer', accountAs.issuer, vscode.ConfigurationTarget.Global);
    const api = await getApi();
    const browser = consentUi();
    const restore = api._test.auth.useUi(browser);
    const { ui, done } = await scriptedUi();
    try {
      await setServers({ acct: { type: 'http', url: accountRs.url } });
      const conn = api._test.registry.get('acct')!;
      await vscode.commands.executeCommand('mcpManager.startServer', { serverName: 'acct' });
      await waitFor('sign-in required', () => conn.state.kind === 'error' && conn.state.signInRequired);

      // The account: VS Code asks whether MCP Manager may use it, a modal that VS Code refuses to
      // show in tests; that is a cancel, and nothing else happens (the e2e test clicks Allow).
      ui.on('pick', /Sign in to acct/, /Use your Test Account account/);
      assert.equal(await vscode.commands.executeCommand('mcpManager.signIn', { serverName: 'acct' }), false);
      const offer = ui.asked.find((a) => a.kind === 'pick');
      assert.deepEqual(
        offer?.items?.map((i) => i.label),
        ['$(account) Use your Test Account account', '$(globe) Sign in with the browser'],
      );
      assert.equal(browser.opened.length, 0, 'no browser');
      assert.deepEqual(ui.unexpected, [], 'no error shown for a cancel');

      // The browser instead: MCP Manager's own sign-in at the same authorization server.
      ui.on('pick', /Sign in to acct/, /Sign in with the browser/);
      assert.equal(await vscode.commands.executeCommand('mcpManager.signIn', { serverName: 'acct' }), true);
      assert.equal(browser.opened.length, 1);
      await waitFor('running after the sign-in', () => conn.state.kind === 'running');
      assert.equal(resultText(await api.callTool('acct', 'echo', { message: 'via browser' })), 'Echo: via browser');
      await vscode.commands.executeCommand('mcpManager.signOut', { serverName: 'acct' });
    } finally {
      done();
      restore();
      await vscode.workspace.getConfiguration('mcpmTest').update('accountIssuer', undefined, vscode.ConfigurationTarget.Global);
      await accountRs.close();
      await accountAs.close();
    }
  });
});

// "$(plug) 2 $(error) 1 $(account) 1": running servers, failed ones and ones waiting for sign-in,
// each when any. Hidden while no server is configured. Click: mcpManager.showServers (pick a
// server, then an action).
import * as vscode from 'vscode';
import { stateLabel, type ServerRegistry } from '../core';
import { stateCodicon } from './tree/present';

export class ServerStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: { dispose(): void }[] = [];
  private scheduled = false;

  constructor(private readonly registry: ServerRegistry) {
    this.item = vscode.window.createStatusBarItem('mcpManager.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'MCP Servers';
    this.item.command = 'mcpManager.showServers';
    const update = () => this.schedule();
    this.subscriptions.push(registry.onDidChangeServers(update), registry.onDidChangeState(update));
    this.update();
  }

  /** Coalesces bursts of state changes (a restart of several servers) into one update. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.update();
    }, 0);
  }

  /** Current text, for tests. */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const servers = this.registry.list();
    if (servers.length === 0) {
      this.item.hide();
      return;
    }
    const running = servers.filter((c) => c.state.kind === 'running').length;
    // A server waiting for its user to sign in has not failed: counted apart, without the error colour.
    const signIn = servers.filter((c) => c.state.kind === 'error' && c.state.signInRequired).length;
    const failed = servers.filter((c) => c.state.kind === 'error').length - signIn;
    this.item.text = `$(plug) ${running}${failed ? ` $(error) ${failed}` : ''}${signIn ? ` $(account) ${signIn}` : ''}`;
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const summary = `${running} running${failed ? `, ${failed} failed` : ''}${signIn ? `, ${signIn} waiting for sign-in` : ''}`;
    const md = new vscode.MarkdownString('', true);
    md.appendMarkdown(`**MCP servers** — ${summary}\n\n`);
    for (const c of servers)
      md.appendMarkdown(`$(${stateCodicon(c.state)}) ${c.name.replace(/[\\`*_[\]<>$]/g, '\\$&')} — ${stateLabel(c.state)}  \n`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `MCP servers: ${summary}` };
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

// One LogOutputChannel per MCP server ("MCP: <name>"), created lazily on first use, plus one
// channel for the extension itself ("MCP Manager"). Adapter only: the core Logger seam in VS Code.
import * as vscode from 'vscode';
import type { Logger } from '../core';

export const GENERAL_CHANNEL = 'MCP Manager';

export class ServerLogs implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.LogOutputChannel>();
  private readonly loggers = new Map<string, Logger>();
  private generalChannel?: vscode.LogOutputChannel;
  private disposed = false;

  /** The channel for `name`, created on first use. */
  channel(name: string): vscode.LogOutputChannel {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`MCP: ${name}`, { log: true });
      this.channels.set(name, channel);
    }
    return channel;
  }

  /**
   * A core Logger writing to the server's channel. The channel is created on the first line, so
   * servers that never run never get a channel. Lines after dispose() are dropped.
   */
  loggerFor(name: string): Logger {
    let logger = this.loggers.get(name);
    if (!logger) {
      logger = this.makeLogger(
        () => this.channel(name),
        () => this.channels.get(name),
      );
      this.loggers.set(name, logger);
    }
    return logger;
  }

  /** The extension's own log (command failures that belong to no server). */
  readonly general: Logger = this.makeLogger(
    () => this.generalOutput(),
    () => this.generalChannel,
  );

  /** Reveals the server's channel (creating it if needed). */
  show(name: string, preserveFocus = true): void {
    this.channel(name).show(preserveFocus);
  }

  showGeneral(): void {
    this.generalOutput().show(true);
  }

  /** Whether a channel has been created for this server. */
  has(name: string): boolean {
    return this.channels.has(name);
  }

  dispose(): void {
    this.disposed = true;
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
    this.loggers.clear();
    this.generalChannel?.dispose();
    this.generalChannel = undefined;
  }

  private generalOutput(): vscode.LogOutputChannel {
    this.generalChannel ??= vscode.window.createOutputChannel(GENERAL_CHANNEL, { log: true });
    return this.generalChannel;
  }

  private makeLogger(get: () => vscode.LogOutputChannel, peek: () => vscode.LogOutputChannel | undefined): Logger {
    const ch = () => (this.disposed ? undefined : get());
    return {
      trace: (m) => ch()?.trace(m),
      debug: (m) => ch()?.debug(m),
      info: (m) => ch()?.info(m),
      warn: (m) => ch()?.warn(m),
      error: (m) => ch()?.error(m),
      // Without a channel yet nobody can have raised its level: not tracing.
      get traceEnabled() {
        return peek()?.logLevel === vscode.LogLevel.Trace;
      },
    };
  }
}

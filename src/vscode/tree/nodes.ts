// The tree's elements. Plain objects (no TreeItem subclasses): the TreeItem is derived from the
// current state on every getTreeItem call. Objects are reused per stable id so that firing a
// change for a node refreshes the element VS Code already knows (expansion and selection survive).
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ConfigIssue, ConfigSource } from '../../core';

export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  source: ConfigSource;
}

/** Passed as the argument of server commands: `serverName` is the contract. */
export interface ServerNode {
  readonly kind: 'server';
  readonly id: string;
  readonly serverName: string;
}

/** Passed to mcpManager.callTool / copyToolName: `serverName` + `toolName` are the contract. */
export interface ToolNode {
  readonly kind: 'tool';
  readonly id: string;
  readonly serverName: string;
  readonly toolName: string;
  tool: Tool;
}

export interface IssueNode {
  readonly kind: 'issue';
  readonly id: string;
  readonly issue: ConfigIssue;
  /** For "Open Settings": where the entry lives and which field. */
  readonly source?: ConfigSource;
  readonly serverName?: string;
  readonly field?: string;
}

export type MessageRole = 'connecting' | 'error' | 'stopped' | 'disabled' | 'noTools' | 'showLogs' | 'restart';

/** A child of a server that is not a tool: status lines and actions. */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly serverName: string;
  readonly role: MessageRole;
  message: string;
}

/** Something about the configuration as a whole, with an action (e.g. workspace trust). */
export interface Notice {
  /** Stable, e.g. 'untrusted'. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip: string;
  readonly icon: string;
  readonly command?: { readonly command: string; readonly title: string };
}

export interface NoticeNode {
  readonly kind: 'notice';
  readonly id: string;
  notice: Notice;
}

export type TreeNode = GroupNode | ServerNode | ToolNode | IssueNode | MessageNode | NoticeNode;

/** Reuses node objects by id. */
export class NodeCache {
  private readonly nodes = new Map<string, TreeNode>();

  group(source: ConfigSource): GroupNode {
    const node = this.get(`group:${source.kind}`, (id) => ({ kind: 'group', id, source }));
    node.source = source;
    return node;
  }

  server(name: string): ServerNode {
    return this.get(`server:${name}`, (id) => ({ kind: 'server', id, serverName: name }));
  }

  tool(server: string, tool: Tool): ToolNode {
    const node = this.get(`tool:${server}/${tool.name}`, (id) => ({ kind: 'tool', id, serverName: server, toolName: tool.name, tool }));
    node.tool = tool;
    return node;
  }

  notice(notice: Notice): NoticeNode {
    const node = this.get(`notice:${notice.id}`, (id) => ({ kind: 'notice', id, notice }));
    node.notice = notice;
    return node;
  }

  message(server: string, role: MessageRole, message: string): MessageNode {
    const node = this.get(`server:${server}/${role}`, (id) => ({ kind: 'message', id, serverName: server, role, message }));
    node.message = message;
    return node;
  }

  /** Issues have no children, so fresh objects are fine; the index keeps ids unique. */
  issue(issue: ConfigIssue, index: number): IssueNode {
    const id = `issue:${index}:${issue.source?.kind ?? ''}:${issue.server ?? ''}:${issue.field ?? ''}`;
    const node: IssueNode = { kind: 'issue', id, issue, source: issue.source, serverName: issue.server, field: issue.field };
    this.nodes.set(id, node);
    return node;
  }

  clearIssues(): void {
    for (const id of [...this.nodes.keys()]) if (id.startsWith('issue:')) this.nodes.delete(id);
  }

  peekServer(name: string): ServerNode | undefined {
    return this.nodes.get(`server:${name}`) as ServerNode | undefined;
  }

  /** Forgets a removed server and everything under it. */
  forgetServer(name: string): void {
    for (const id of [...this.nodes.keys()]) {
      if (id === `server:${name}` || id.startsWith(`server:${name}/`) || id.startsWith(`tool:${name}/`)) this.nodes.delete(id);
    }
  }

  private get<T extends TreeNode>(id: string, create: (id: string) => T): T {
    let node = this.nodes.get(id) as T | undefined;
    if (!node) {
      node = create(id);
      this.nodes.set(id, node);
    }
    return node;
  }
}

// The tree's elements. Plain objects (no TreeItem subclasses): the TreeItem is derived from the
// current state on every getTreeItem call. Objects are reused per stable id so that firing a
// change for a node refreshes the element VS Code already knows (expansion and selection survive).
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/client';
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

export type FolderKind = 'resources' | 'prompts';

/** "Resources" or "Prompts" under a running server that declares them; listed when expanded. */
export interface FolderNode {
  readonly kind: 'folder';
  readonly id: string;
  readonly serverName: string;
  readonly folder: FolderKind;
}

/** Passed to mcpManager.readResource: `serverName` + `uri` are the contract. */
export interface ResourceNode {
  readonly kind: 'resource';
  readonly id: string;
  readonly serverName: string;
  readonly uri: string;
  resource: Resource;
}

/** Passed to mcpManager.readResource: `serverName` + `uriTemplate` are the contract. */
export interface TemplateNode {
  readonly kind: 'template';
  readonly id: string;
  readonly serverName: string;
  readonly uriTemplate: string;
  template: ResourceTemplate;
}

/** Passed to mcpManager.getPrompt: `serverName` + `promptName` are the contract. */
export interface PromptNode {
  readonly kind: 'prompt';
  readonly id: string;
  readonly serverName: string;
  readonly promptName: string;
  prompt: Prompt;
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

export type MessageRole =
  'connecting' | 'warning' | 'error' | 'stopped' | 'disabled' | 'noTools' | 'empty' | 'showLogs' | 'restart' | 'signIn';

/** A child of a server (or of one of its folders) that is not an item: status lines and actions. */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly serverName: string;
  /** Set for a folder's own status lines ("Loading resources…", its listing error). */
  readonly folder?: FolderKind;
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

/** A tool call running (or run) as a task, under its server (src/vscode/tasks/). */
export interface TaskNode {
  readonly kind: 'task';
  readonly id: string;
  readonly serverName: string;
  readonly taskId: string;
}

export type TreeNode =
  | GroupNode
  | ServerNode
  | ToolNode
  | FolderNode
  | ResourceNode
  | TemplateNode
  | PromptNode
  | IssueNode
  | MessageNode
  | NoticeNode
  | TaskNode;

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

  folder(server: string, folder: FolderKind): FolderNode {
    return this.get(`${folder}:${server}`, (id) => ({ kind: 'folder', id, serverName: server, folder }));
  }

  resource(server: string, resource: Resource): ResourceNode {
    const node = this.get(`resource:${server}/${resource.uri}`, (id) => ({
      kind: 'resource',
      id,
      serverName: server,
      uri: resource.uri,
      resource,
    }));
    node.resource = resource;
    return node;
  }

  template(server: string, template: ResourceTemplate): TemplateNode {
    const node = this.get(`template:${server}/${template.uriTemplate}`, (id) => ({
      kind: 'template',
      id,
      serverName: server,
      uriTemplate: template.uriTemplate,
      template,
    }));
    node.template = template;
    return node;
  }

  prompt(server: string, prompt: Prompt): PromptNode {
    const node = this.get(`prompt:${server}/${prompt.name}`, (id) => ({
      kind: 'prompt',
      id,
      serverName: server,
      promptName: prompt.name,
      prompt,
    }));
    node.prompt = prompt;
    return node;
  }

  /** A status line or action under a folder: `resources:<server>/<role>`. */
  folderMessage(server: string, folder: FolderKind, role: MessageRole, message: string): MessageNode {
    const node = this.get(`${folder}:${server}/${role}`, (id) => ({ kind: 'message', id, serverName: server, folder, role, message }));
    node.message = message;
    return node;
  }

  notice(notice: Notice): NoticeNode {
    const node = this.get(`notice:${notice.id}`, (id) => ({ kind: 'notice', id, notice }));
    node.notice = notice;
    return node;
  }

  task(server: string, taskId: string): TaskNode {
    return this.get(`task:${server}/${taskId}`, (id) => ({ kind: 'task', id, serverName: server, taskId }));
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
    const own = (prefix: string, id: string) => id === `${prefix}:${name}` || id.startsWith(`${prefix}:${name}/`);
    for (const id of [...this.nodes.keys()]) {
      if (['server', 'tool', 'resources', 'prompts', 'resource', 'template', 'prompt'].some((prefix) => own(prefix, id)))
        this.nodes.delete(id);
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

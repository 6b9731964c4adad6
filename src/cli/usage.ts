// What the CLI offers: its commands, the --help text, and each command's one-line usage (shown
// with a usage error). Kept apart from the parser (args.ts), which checks a command line against it.

export const COMMANDS = [
  'servers',
  'tools',
  'call',
  'resources',
  'read',
  'prompts',
  'prompt',
  'ping',
  'complete',
  'doctor',
  'test',
  'search',
  'add',
  'serve',
  'login',
  'logout',
  'tasks',
  'task',
] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `Usage: mcp-manager <command> [options]

Commands:
  servers                        list configured servers and configuration errors
    --probe                      also connect to each enabled server (4 at a time) and show its protocol
                                 version and era, or why it failed (exit 3 when one failed)
  tools <server>                 list tools (with --json: full definitions and input schemas)
  call <server> <tool> [JSON]    call a tool with JSON object arguments ("-" reads them from stdin);
                                 prints its content, or the raw result with --json. A tool that runs as a
                                 task (see useTasks) is waited for, its status on stderr; Ctrl+C cancels it
    --detach                     once the call is a task, print its id and exit (follow it with "task")
    --task                       the call is expected to be long: run it as a task if the tool allows one
  tasks <server>                 list the server's tasks (2025-11-25 servers; 2026-07-28 has no list)
  task <server> <id>             show a task's status
    --result                     wait for it to end and print its result (Ctrl+C stops waiting, not the task)
    --cancel                     cancel it
  resources <server>             list resources and resource templates
  read <server> <uri>            read a resource: text as is, binary as a note (--json: the raw result)
    --watch                      keep following it: print it again each time the server says it changed
                                 (--json: one result per line), until interrupted
  prompts <server>               list prompts with their arguments ([optional] ones in brackets)
  prompt <server> <name> [JSON]  get a prompt with JSON string arguments ("-" reads them from stdin)
  ping <server>                  connect and ping
  complete <server> prompt <name> <argument> [PREFIX]
  complete <server> resource <uriTemplate> <variable> [PREFIX]
                                 the server's suggestions for a prompt argument or template variable,
                                 one per line (--json: the raw completion)
    --context JSON               the other arguments already entered, e.g. '{"department":"Sales"}'
  login <server>                 sign in to an http/sse server that needs OAuth (opens $BROWSER or the
                                 desktop's browser, else prints the URL); tokens are kept in
                                 $XDG_CONFIG_HOME/mcp-manager/credentials.json (mode 0600)
  logout <server>                forget the server's tokens (revoking them where the server allows)
  search [TEXT]                  find servers in MCP registries (name, version, kind, description; --json raw)
  add <registry-name>            install a server from a registry into .vscode/mcp.json (or --config FILE)
    --version V                  that version instead of the latest
    --as NAME                    the local server name (default: a short form of the registry name)
    --set KEY=VALUE              a value it needs (repeatable); asked in a terminal otherwise
    --package KIND               which package when there are several: npm, pypi, oci, nuget, remote
  --registry URL                 registry for search/add (repeatable; default https://registry.modelcontextprotocol.io)
  serve [server...]              offer the configured servers (default: all enabled ones) to other MCP
                                 clients as one MCP server on stdio; started only when used
    --http 127.0.0.1:PORT        serve Streamable HTTP there instead (local only; bearer token required)
    --token-file FILE            write the token there (mode 0600); else $MCP_MANAGER_GATEWAY_TOKEN is used
    --print-config KIND          print the entry claude, cursor or vscode needs, and exit
  doctor <server>                show the resolved launch (command path, cwd, environment with secrets
                                 masked) or URL, then test the connection
  test [FILE|DIR ...]            run MCP test collections (*.mcptest.json; default: all under the
                                 workspace); one line per test, then "N passed, M failed"
    --filter TEXT                only tests whose name contains TEXT
    --update-snapshots           rewrite the snapshots of the tests run
    --junit FILE                 also write JUnit XML to FILE (--json: results as JSON on stdout)

Configuration (default: the current directory as workspace):
  --workspace DIR                read DIR/.vscode/settings.json ("mcpManager.servers") and DIR/.vscode/mcp.json
  --config FILE                  read one file: a settings.json, an mcp.json, or a file with "mcpServers"
                                 (Claude Desktop, Cursor, Cline, .mcp.json)

Ad-hoc server (instead of <server>):
  --stdio "COMMAND [ARGS]"       run a stdio server (split into words like a shell would, but no shell runs it)
    --env K=V                    set a variable for it (repeatable); --env K passes K from this shell
    --cwd DIR                    its working directory (default: the workspace)
  --url URL                      connect to an HTTP server
    --header "K: V"              send a header (repeatable)
    --transport http|sse         default: sse if the URL path ends with /sse, else http (Streamable HTTP)

When the server asks (tools that need roots, a question for you, or a language model):
  --root DIR                     a root the server may work in (repeatable; default: the workspace directory)
  --elicit accept[:JSON]|decline|cancel
                                 answer every question of the run (accept: JSON values over the form's
                                 defaults); without it questions are asked in a terminal, else declined
  --sample-with "COMMAND"        answer sampling requests with COMMAND: the system prompt and messages on
                                 its stdin, its stdout is the reply (MCPM_SERVER, MCPM_MAX_TOKENS set)

Options:
  --timeout MS                   time limit for the handshake and for each request
  --json                         machine-readable output
  -v, --verbose                  show the server's stderr and the connection log on stderr (twice: JSON-RPC)
  --trace                        same as -v -v
  -h, --help                     show this help
  --version                      show the version

Exit codes: 0 success, 1 the tool reported an error (isError) or the server answered with an error
(test: a test failed), 2 usage or configuration error (unknown server or tool, invalid JSON, an
invalid collection file), 3 could not connect, start,
complete the handshake, or the request timed out, 130 interrupted.
Inputs (\${input:ID}) come from the environment variable MCP_INPUT_<ID>, else a prompt in a terminal, else their default.`;

export const USAGE_LINES: Record<Command, string> = {
  servers: 'servers',
  tools: 'tools <server>',
  call: 'call <server> <tool> [\'{"arg": "value"}\']',
  resources: 'resources <server>',
  read: 'read <server> <uri>',
  prompts: 'prompts <server>',
  prompt: 'prompt <server> <name> [\'{"arg": "value"}\']',
  ping: 'ping <server>',
  complete: 'complete <server> prompt|resource <name|uriTemplate> <argument> [PREFIX]',
  doctor: 'doctor <server>',
  test: 'test [FILE|DIR ...]',
  search: 'search [TEXT]',
  add: 'add <registry-name>',
  serve: 'serve [server...]',
  login: 'login <server>',
  logout: 'logout <server>',
  tasks: 'tasks <server>',
  task: 'task <server> <id> [--result | --cancel]',
};

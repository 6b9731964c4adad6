// Which of the host's account providers serves an authorization server: VS Code's providers
// declare `authorizationServerGlobs` in their `authentication` contribution (GitHub:
// "https://github.com/login/oauth"; Microsoft: "https://login.microsoftonline.com/*" and
// ".../*/v2.0"). A glob's `*` stands for any characters but "/", `**` for any characters at all;
// case and a trailing "/" do not matter (URLs of authorization servers are compared as written,
// without normalising them further).
import type { AccountProvider } from './types';

export interface AccountProviderDeclaration extends AccountProvider {
  readonly authorizationServerGlobs: readonly string[];
}

/** Whether `authorizationServer` (a URL) matches `glob`. A glob of only "*" matches nothing here: see bestAccountProvider. */
export function matchesAuthorizationServer(glob: string, authorizationServer: string): boolean {
  const trim = (s: string) => s.replace(/\/+$/, '').toLowerCase();
  const pattern = trim(glob)
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(trim(authorizationServer));
}

/**
 * The provider for an authorization server: the first whose globs match it. Globs that match
 * every server ("*", "**": GitHub Enterprise Server declares one, for whichever server is
 * configured in VS Code) are ignored, so that no server's sign-in is sent to the wrong account.
 */
export function bestAccountProvider(
  providers: readonly AccountProviderDeclaration[],
  authorizationServer: string,
): AccountProvider | undefined {
  const found = providers.find((p) =>
    p.authorizationServerGlobs.some((g) => !/^\**$/.test(g.trim()) && matchesAuthorizationServer(g, authorizationServer)),
  );
  return found && { id: found.id, label: found.label };
}

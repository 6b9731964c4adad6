// Accounts VS Code already has (GitHub, Microsoft, or any extension's authentication provider):
// when a server's authorization server is one whose provider declares it in
// `authorizationServerGlobs` (the `authentication` contribution of package.json), Sign In offers
// that account through vscode.authentication instead of a new sign-in in the browser. VS Code asks
// the person to allow MCP Manager to use the account; its provider keeps the session fresh, so a
// rejected token is replaced by asking again, without a prompt.
import * as vscode from 'vscode';
import { bestAccountProvider, type AccountProviderDeclaration, type AccountToken, type HostAccounts } from '../../core';
import type { Prompter } from '../prompts';

/** The authentication providers the installed extensions contribute, with the authorization servers they serve. */
export function declaredAccountProviders(): AccountProviderDeclaration[] {
  return vscode.extensions.all.flatMap((ext) => {
    const contributed = (ext.packageJSON as { contributes?: { authentication?: unknown } }).contributes?.authentication;
    if (!Array.isArray(contributed)) return [];
    return contributed.flatMap((c: { id?: unknown; label?: unknown; authorizationServerGlobs?: unknown }) =>
      typeof c.id === 'string' && Array.isArray(c.authorizationServerGlobs)
        ? [
            {
              id: c.id,
              label: typeof c.label === 'string' ? c.label : c.id,
              authorizationServerGlobs: c.authorizationServerGlobs.filter((g): g is string => typeof g === 'string'),
            },
          ]
        : [],
    );
  });
}

type Choice = vscode.QuickPickItem & { readonly choice: 'account' | 'browser' };

export function editorAccounts(prompter: Prompter): HostAccounts {
  return {
    providerFor: (authorizationServer) => bestAccountProvider(declaredAccountProviders(), authorizationServer),
    token: async ({ server, url, provider, scopes, interactive }): Promise<AccountToken | 'browser' | undefined> => {
      if (!interactive) {
        const session = await vscode.authentication.getSession(provider.id, scopes, { silent: true });
        return session && { accessToken: session.accessToken, account: session.account.label };
      }
      const items: Choice[] = [
        {
          label: `$(account) Use your ${provider.label} account`,
          // The server gets a token of the person's account: say so, and to whom.
          detail: `${new URL(url).host} will receive a token of your ${provider.label} account${scopes.length ? ` (${scopes.join(', ')})` : ''}.`,
          choice: 'account',
        },
        {
          label: '$(globe) Sign in with the browser',
          detail: 'A new sign-in on the sign-in page, for MCP Manager only.',
          choice: 'browser',
        },
      ];
      const picked = await prompter.pick(items, {
        title: `Sign in to ${server}`,
        placeHolder: `How should MCP Manager sign in to ${server}?`,
      });
      if (!picked) return undefined;
      if (picked.choice === 'browser') return 'browser';
      try {
        const session = await vscode.authentication.getSession(provider.id, scopes, { createIfNone: true });
        return { accessToken: session.accessToken, account: session.account.label };
      } catch (e) {
        // Declining VS Code's "allow" dialog or its sign-in is a cancel, not a failure.
        if (/consent|cancel/i.test(e instanceof Error ? e.message : String(e))) return undefined;
        throw e;
      }
    },
  };
}

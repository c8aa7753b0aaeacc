// Tokens for remote sources. Prometheus, PagerDuty and Opsgenie tokens live in the editor's secret
// storage under a key naming the origin they were saved for; GitHub uses the editor's GitHub sign-in.
import * as vscode from 'vscode';
import { Disposable } from '../views/dispose';
import { parseTokenSecretKey, tokenSecretKey } from './tokenOrigins';
import { originOf } from '../sources/http/origin';
import { GITHUB_API } from '../sources/sourceAddresses';
import type { SecretTokenSource, TokenSource } from './tokenOrigins';

const GITHUB_SCOPES = ['repo'];

export class TokenStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** A token was saved or removed, or the GitHub sign-in changed: loads should run again. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    this._register(secrets.onDidChange((event) => {
      if (parseTokenSecretKey(event.key)) this.changed.fire();
    }));
    this._register(vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === 'github') this.changed.fire();
    }));
  }

  /**
   * The token for a source at an origin, never prompting (loads run in the background). The engine
   * asks with the origin it will send to (savedTokenProvider), and remoteSources sends it only there.
   */
  async get(source: TokenSource, origin: string): Promise<string | undefined> {
    // Only a normalized http(s) origin names a saved token; anything else reads nothing.
    if (originOf(origin) !== origin) return undefined;
    if (source === 'github') {
      // The GitHub sign-in is for github.com only; an Enterprise host gets nothing from it.
      if (origin !== GITHUB_API) return undefined;
      const session = await vscode.authentication.getSession('github', GITHUB_SCOPES, { silent: true });
      return session?.accessToken;
    }
    return this.secrets.get(tokenSecretKey(source, origin));
  }

  async store(source: SecretTokenSource, origin: string, token: string): Promise<void> {
    await this.secrets.store(tokenSecretKey(source, origin), token);
  }

  async forget(source: SecretTokenSource, origin: string): Promise<void> {
    await this.secrets.delete(tokenSecretKey(source, origin));
  }

  async saved(): Promise<Array<{ source: SecretTokenSource; origin: string }>> {
    const keys = await this.secrets.keys();
    return keys.flatMap((key) => {
      const parsed = parseTokenSecretKey(key);
      return parsed ? [parsed] : [];
    });
  }

  /** Asks the user to sign in to GitHub (or reuses the session); true when signed in. */
  async signInToGitHub(): Promise<boolean> {
    const session = await vscode.authentication.getSession('github', GITHUB_SCOPES, { createIfNone: true });
    return Boolean(session);
  }
}

import type { LoginResult } from '@callsight/sdk';
import { useState, type FormEvent } from 'react';
import { client } from './api';
import { Logo } from './Logo';
import { ProblemBanner } from './ProblemBanner';

export function LoginForm({ app, onLoggedIn }: { app: string; onLoggedIn: (result: LoginResult) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await client.login(String(form.get('email')), String(form.get('password'))));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main className="center-screen login-screen">
      <form className="card narrow stack" onSubmit={submit} data-testid="login-form" aria-labelledby="login-title">
        <div className="login-brand">
          <Logo />
          <span className="pill">{app}</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        <ProblemBanner error={error} />
        <label className="field">
          <span>Email</span>
          <input name="email" type="email" autoComplete="username" required autoFocus data-testid="login-email" />
        </label>
        <label className="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
        </label>
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

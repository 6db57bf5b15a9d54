import type { LoginResult } from '@callsight/sdk';
import { useState, type FormEvent, type ReactNode } from 'react';
import { client } from './api';
import { Icon } from './Icon';
import { Logo } from './Logo';
import { ProblemBanner } from './ProblemBanner';

type View = { kind: 'signin'; notice?: string } | { kind: 'forgot'; sent: boolean } | { kind: 'reset'; token: string };

/** A reset link opens the app with `#reset=<token>` (a fragment, so no server or Referer ever sees it). */
function viewFromLink(): View {
  const token = /^#reset=([A-Za-z0-9_-]{16,200})$/.exec(window.location.hash)?.[1];
  return token ? { kind: 'reset', token } : { kind: 'signin' };
}

/**
 * The sign-in every web app shares, with the way back in when the password is
 * forgotten: ask for a link by SMS, or open the link an admin handed over and
 * choose a new password.
 */
export function LoginForm({ app, onLoggedIn }: { app: string; onLoggedIn: (result: LoginResult) => void }) {
  const [view, setView] = useState<View>(viewFromLink);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const go = (next: View) => {
    setError(null);
    setView(next);
  };
  const submitting = (fn: (form: FormData) => Promise<void>) => async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await fn(form);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (view.kind === 'forgot') {
    return (
      <Frame app={app} title="Forgot your password?" onSubmit={submitting(async (form) => {
        await client.requestPasswordReset(String(form.get('email')));
        setView({ kind: 'forgot', sent: true });
      })}>
        <ProblemBanner error={error} />
        {view.sent ? (
          <p className="banner" role="status" data-testid="reset-requested">
            If that account has a phone number on file, a reset link is on its way by text message. It works once, for an hour.
          </p>
        ) : (
          <>
            <p className="muted">We text a reset link to the phone number on your account. No phone number on file? Your administrator can give you a link.</p>
            <label className="field">
              <span>Email</span>
              <input name="email" type="email" autoComplete="username" required autoFocus data-testid="reset-email" />
            </label>
            <button className="btn btn-primary" type="submit" disabled={busy} data-testid="reset-request">
              {busy ? 'Sending…' : 'Text me a link'}
            </button>
          </>
        )}
        <button type="button" className="btn btn-ghost" onClick={() => go({ kind: 'signin' })} data-testid="back-to-signin">Back to sign in</button>
      </Frame>
    );
  }

  if (view.kind === 'reset') {
    return (
      <Frame app={app} title="Choose a new password" onSubmit={submitting(async (form) => {
        const password = String(form.get('password'));
        if (password !== String(form.get('confirm'))) throw new Error('The two passwords differ; type the same one twice.');
        await client.resetPassword(view.token, password);
        // The link is spent: take it out of the address bar and history.
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
        go({ kind: 'signin', notice: 'Your password was changed and you were signed out everywhere. Sign in with the new one.' });
      })}>
        <ProblemBanner error={error} />
        <PasswordField name="password" label="New password" autoComplete="new-password" minLength={8} testId="reset-password" autoFocus />
        <PasswordField name="confirm" label="Type it again" autoComplete="new-password" minLength={8} testId="reset-confirm" />
        <p className="muted small">At least 8 characters. A phrase of a few words is easy to remember and hard to guess.</p>
        <button className="btn btn-primary" type="submit" disabled={busy} data-testid="reset-submit">
          {busy ? 'Saving…' : 'Save new password'}
        </button>
      </Frame>
    );
  }

  return (
    <Frame app={app} title="Sign in" onSubmit={submitting(async (form) => {
      onLoggedIn(await client.login(String(form.get('email')), String(form.get('password'))));
    })}>
      {view.notice && <p className="banner" role="status" data-testid="login-notice">{view.notice}</p>}
      <ProblemBanner error={error} />
      <label className="field">
        <span>Email</span>
        <input name="email" type="email" autoComplete="username" required autoFocus data-testid="login-email" />
      </label>
      <PasswordField name="password" label="Password" autoComplete="current-password" testId="login-password" />
      <button className="btn btn-primary" type="submit" disabled={busy} data-testid="login-submit">
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => go({ kind: 'forgot', sent: false })} data-testid="login-forgot">Forgot password?</button>
    </Frame>
  );
}

function Frame({ app, title, onSubmit, children }: { app: string; title: string; onSubmit: (e: FormEvent<HTMLFormElement>) => void; children: ReactNode }) {
  return (
    <main className="center-screen login-screen">
      <form className="card narrow stack" onSubmit={onSubmit} data-testid="login-form" aria-labelledby="login-title">
        <div className="login-brand">
          <Logo />
          <span className="pill">{app}</span>
        </div>
        <h1 id="login-title">{title}</h1>
        {children}
      </form>
    </main>
  );
}

function PasswordField(props: { name: string; label: string; autoComplete: string; testId: string; minLength?: number; autoFocus?: boolean }) {
  const [shown, setShown] = useState(false);
  const id = `field-${props.testId}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="password-field">
        <input id={id} name={props.name} type={shown ? 'text' : 'password'} autoComplete={props.autoComplete} required minLength={props.minLength} autoFocus={props.autoFocus} data-testid={props.testId} />
        <button
          type="button"
          className="password-toggle"
          aria-label={shown ? `Hide ${props.label.toLowerCase()}` : `Show ${props.label.toLowerCase()}`}
          aria-pressed={shown}
          onClick={() => setShown((v) => !v)}
          data-testid={`${props.testId}-show`}
        >
          <Icon name={shown ? 'eyeOff' : 'eye'} size={20} />
        </button>
      </div>
    </div>
  );
}

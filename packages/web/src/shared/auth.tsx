import { CREDENTIALS_ENDED, type Me, type Role, type User } from '@callsight/sdk';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { client, isUnauthorized } from './api';
import { LoginForm } from './LoginForm';
import { ProblemBanner } from './ProblemBanner';
import { RoleRefusal } from './RoleRefusal';

export interface Auth {
  /** Always a user: the web apps log in with a session, never an API key. */
  user: User;
  tenant: Me['tenant'];
  logout(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** The signed-in user; only valid below an AuthGate. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthGate');
  return auth;
}

type State = { status: 'loading' } | { status: 'anonymous' } | { status: 'failed'; error: unknown } | { status: 'signed-in'; me: Me };

export interface AuthGateProps {
  /** Shown on the login form, e.g. "Admin". */
  app: string;
  /** Roles that may use the app; omit to allow everyone who is logged in. */
  roles?: readonly Role[];
  /** Who the app is for, for the refusal screen: "admins and supervisors". */
  audience?: string;
  children: ReactNode;
}

/** Shows the login form until there is a session, then the role refusal or the app. */
export function AuthGate({ app, roles, audience, children }: AuthGateProps) {
  const [state, setState] = useState<State>({ status: 'loading' });

  const check = useCallback(() => {
    setState({ status: 'loading' });
    client.me().then(
      (me) => setState({ status: 'signed-in', me }),
      (error: unknown) => setState(isUnauthorized(error) ? { status: 'anonymous' } : { status: 'failed', error }),
    );
  }, []);
  useEffect(check, [check]);

  // When the server ends this session's credentials elsewhere (logout in another tab, the user
  // disabled or given another role), its sockets close with CREDENTIALS_ENDED: ask again who we are.
  const signedIn = state.status === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    const watch = client.realtime({ types: ['session.ended'] });
    watch.on('close', (c) => {
      if (c.code === CREDENTIALS_ENDED) check();
    });
    return () => watch.close();
  }, [signedIn, check]);

  const logout = useCallback(async () => {
    await client.logout();
    setState({ status: 'anonymous' });
  }, []);

  switch (state.status) {
    case 'loading':
      return <div className="center-screen" aria-busy="true"><span className="spinner" aria-label="Loading" /></div>;
    case 'failed':
      return (
        <div className="center-screen">
          <div className="card narrow">
            <ProblemBanner error={state.error} />
            <button type="button" className="btn" onClick={check}>Try again</button>
          </div>
        </div>
      );
    case 'anonymous':
      return <LoginForm app={app} onLoggedIn={({ user, tenant }) => setState({ status: 'signed-in', me: { user, tenant, role: user.role, apiKeyId: null } })} />;
    case 'signed-in': {
      const { user, tenant, role } = state.me;
      if (!user) return <div className="center-screen"><ProblemBanner error={new Error('This app needs a user session, not an API key.')} /></div>;
      if (roles && !roles.includes(role)) return <RoleRefusal app={app} audience={audience ?? roles.join(', ')} user={user} onLogout={logout} />;
      return <AuthContext.Provider value={{ user, tenant, logout }}>{children}</AuthContext.Provider>;
    }
  }
}

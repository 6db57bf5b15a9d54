import { AuthGate } from '../shared/auth';
import { mount } from '../shared/mount';
import { App } from './App';

mount(
  <AuthGate app="Agent desktop" roles={['agent', 'supervisor', 'admin']} audience="agents, supervisors and admins">
    <App />
  </AuthGate>,
);

import { AuthGate } from '../shared/auth';
import { mount } from '../shared/mount';
import { App } from './App';

mount(
  <AuthGate app="Admin" roles={['admin', 'supervisor']} audience="admins and supervisors">
    <App />
  </AuthGate>,
);

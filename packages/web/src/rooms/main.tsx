import { AuthGate } from '../shared/auth';
import { mount } from '../shared/mount';
import { App } from './App';

mount(
  <AuthGate app="Rooms">
    <App />
  </AuthGate>,
);

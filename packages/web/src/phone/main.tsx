import { AuthGate } from '../shared/auth';
import { mount } from '../shared/mount';
import { App } from './App';
import { registerServiceWorker } from './register-service-worker';

registerServiceWorker();
mount(
  <AuthGate app="Phone" roles={['customer']} audience="customers">
    <App />
  </AuthGate>,
);

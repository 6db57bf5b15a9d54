import { AuthGate } from '../shared/auth';
import { mount } from '../shared/mount';
import { App } from './App';
import { GuestRoom } from './GuestRoom';

// A shared join link carries its token in the fragment, which never reaches server logs.
const token = new URLSearchParams(window.location.hash.slice(1)).get('token');

mount(
  token ? (
    <GuestRoom token={token} />
  ) : (
    <AuthGate app="Rooms" roles={['admin', 'supervisor', 'agent']} audience="staff who host rooms (guests join with a link)">
      <App />
    </AuthGate>
  ),
);

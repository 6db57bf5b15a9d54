import { useEffect, useState } from 'react';
import { client } from '../../shared/api';

/** Customer id → name, so traces name people instead of showing ids. */
export function useCustomerNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    client.users.list({ role: 'customer' }).then((r) => setNames(new Map(r.items.map((u) => [u.id, u.name || u.email]))), () => {});
  }, []);
  return names;
}

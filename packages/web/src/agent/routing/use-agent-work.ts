import type { CallsightEvent } from '@callsight/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../shared/api';
import { routingApi, type AgentRouting, type Queue, type WorkItem } from './routing-api';

export interface AgentWork {
  agent: AgentRouting | null;
  offers: WorkItem[];
  assigned: WorkItem[];
  queues: Map<string, Queue>;
  error: unknown;
  live: boolean;
  reload: () => void;
  /** Subscribe to the chat events of the stream (one socket for the whole desktop). */
  onChatEvent: (listener: (e: CallsightEvent) => void) => () => void;
}

/**
 * The signed-in agent's routing state, reloaded whenever a routing event names
 * them, over one realtime stream that also carries chat events for the work items.
 */
export function useAgentWork(userId: string): AgentWork {
  const [state, setState] = useState<{ agent: AgentRouting | null; items: WorkItem[]; error: unknown }>({ agent: null, items: [], error: null });
  const [queues, setQueues] = useState<Map<string, Queue>>(new Map());
  const [live, setLive] = useState(false);
  const chatListeners = useRef(new Set<(e: CallsightEvent) => void>());

  const reload = useCallback(() => {
    routingApi.me().then(
      (me) => setState({ agent: me.agent, items: me.items, error: null }),
      (error: unknown) => setState((s) => ({ ...s, error })),
    );
  }, []);

  useEffect(() => {
    reload();
    routingApi.queues().then((q) => setQueues(new Map(q.items.map((x) => [x.id, x]))), () => {});
    const stream = client.realtime({ types: ['routing.', 'chat.', 'sms.'] });
    stream.on('open', () => {
      setLive(true);
      reload();
    });
    stream.on('close', () => setLive(false));
    stream.on('event', (e) => {
      if (e.type.startsWith('chat.') || e.type.startsWith('sms.')) for (const l of chatListeners.current) l(e);
      const data = e.data as { agentId?: string };
      if (e.type.startsWith('routing.') && data.agentId === userId) reload();
    });
    return () => stream.close();
  }, [reload, userId]);

  const onChatEvent = useCallback((listener: (e: CallsightEvent) => void) => {
    chatListeners.current.add(listener);
    return () => void chatListeners.current.delete(listener);
  }, []);

  return {
    agent: state.agent,
    offers: state.items.filter((i) => i.state === 'offered'),
    assigned: state.items.filter((i) => i.state === 'assigned'),
    queues,
    error: state.error,
    live,
    reload,
    onChatEvent,
  };
}

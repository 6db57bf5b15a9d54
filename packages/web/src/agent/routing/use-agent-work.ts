import type { AgentRouting, CallsightEvent, Queue, WorkItem } from '@callsight/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../shared/api';

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
  /** Bumps on every interaction, wrap-up and call-end event: the desktop re-reads its lists. */
  version: number;
}

/**
 * The signed-in agent's routing state, reloaded whenever a routing event names
 * them, over one realtime stream that also carries chat events for the work items.
 */
export function useAgentWork(userId: string): AgentWork {
  const [state, setState] = useState<{ agent: AgentRouting | null; items: WorkItem[]; error: unknown }>({ agent: null, items: [], error: null });
  const [queues, setQueues] = useState<Map<string, Queue>>(new Map());
  const [live, setLive] = useState(false);
  const [version, setVersion] = useState(0);
  const chatListeners = useRef(new Set<(e: CallsightEvent) => void>());

  const reload = useCallback(() => {
    client.work.me().then(
      (me) => setState({ agent: me.agent, items: me.items, error: null }),
      (error: unknown) => setState((s) => ({ ...s, error })),
    );
  }, []);

  useEffect(() => {
    reload();
    client.queues.list().then((q) => setQueues(new Map(q.items.map((x) => [x.id, x]))), () => {});
    const stream = client.realtime({ types: ['routing.', 'chat.', 'sms.', 'interaction.', 'desk.', 'call.ended'] });
    stream.on('open', () => {
      setLive(true);
      reload();
    });
    stream.on('close', () => setLive(false));
    stream.on('event', (e) => {
      if (e.type.startsWith('chat.') || e.type.startsWith('sms.')) for (const l of chatListeners.current) l(e);
      if (e.type.startsWith('interaction.') || e.type.startsWith('desk.') || e.type === 'call.ended' || e.type === 'routing.completed') setVersion((v) => v + 1);
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
    version,
  };
}

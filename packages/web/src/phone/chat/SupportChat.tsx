import { useEffect } from 'react';

/**
 * "Chat with us" for the logged-in customer: the same embeddable widget the
 * business puts on its website (/chat/widget.js), started with the customer's
 * session so the agent sees who they are and the chat joins their timeline.
 */
export function SupportChat({ queue = 'support' }: { queue?: string }) {
  useEffect(() => {
    if (document.querySelector('script[data-callsight-chat]')) return;
    const script = document.createElement('script');
    script.src = '/chat/widget.js';
    script.dataset.callsightChat = '';
    script.dataset.queue = queue;
    script.setAttribute('data-customer', '');
    document.body.appendChild(script);
    // The widget owns its DOM for the page's lifetime (a reload continues the chat).
  }, [queue]);
  return null;
}

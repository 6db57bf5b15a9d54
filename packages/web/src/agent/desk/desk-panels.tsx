import type { ComponentType } from 'react';
import { RulesTracePanel } from '../rules/RulesTracePanel';
import type { DeskRow } from './use-desk';

/**
 * Extra panels of the agent desktop, added by other features without touching the
 * layout: the conversation pane (e.g. a rules evaluation trace) or the customer
 * pane (e.g. which card the customer is reading). Append one entry per panel.
 */
export interface DeskPanel {
  id: string;
  pane: 'conversation' | 'customer';
  /** Rendered for the selected row; return null when there is nothing to show. */
  Component: ComponentType<{ row: DeskRow }>;
}

export const DESK_PANELS: DeskPanel[] = [{ id: 'rules', pane: 'conversation', Component: RulesTracePanel }];

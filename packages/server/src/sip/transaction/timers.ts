/** RFC 3261 17.1.1.1 / table 4 timer values; tests shrink T1/T2/T4. */
export interface SipTimers {
  /** RTT estimate, default 500 ms. */
  T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  T2: number;
  /** Maximum time a message stays in the network, default 5 s. */
  T4: number;
}

export const resolveTimers = (t: Partial<SipTimers> = {}): SipTimers => ({ T1: t.T1 ?? 500, T2: t.T2 ?? 4000, T4: t.T4 ?? 5000 });

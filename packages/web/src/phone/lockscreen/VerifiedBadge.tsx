/** The green check beside a verified caller's name. */
export function VerifiedBadge({ className, testId, size = 22 }: { className?: string; testId?: string; size?: number }) {
  return (
    <span className={className} title="Caller verified" role="img" aria-label="Verified caller" data-testid={testId}>
      <svg viewBox="0 0 20 20" width={size} height={size} aria-hidden="true">
        <circle cx="10" cy="10" r="10" fill="currentColor" />
        <path d="M5.5 10.5l3 3 6-7" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </span>
  );
}

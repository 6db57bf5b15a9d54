/** The callsight mark and wordmark; the mark's image is decorative, the name is the text. */
export function Logo({ href = '/' }: { href?: string }) {
  return (
    <a className="logo" href={href}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span>callsight</span>
    </a>
  );
}

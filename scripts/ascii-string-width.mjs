/**
 * string-width for the CLI bundle (scripts/build-cli.mjs): the width of printable ASCII is its
 * length, and that is all yargs measures in this tool's help; anything else goes to the real
 * string-width, loaded the first time it is needed. The real one builds Unicode tables as it
 * loads (an Intl.Segmenter, emoji property sets): about a tenth of the instructions of a
 * dry-run, spent on every command, since yargs renders (and caches) the whole help text each
 * time a command runs, shown or not.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** `loadReal` returns the real string-width function. */
export function asciiFirst(loadReal) {
  let real;
  return (string, options) => {
    if (typeof string === 'string' && PRINTABLE_ASCII.test(string)) return string.length;
    real ??= loadReal();
    return real(string, options);
  };
}

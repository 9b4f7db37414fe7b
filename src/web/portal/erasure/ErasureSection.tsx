/** Placeholder: the erasure slice replaces it (shown at the end of My data). */
export function ErasureSection() {
  return null;
}

/**
 * Permission patterns of memberships (DESIGN section 1): `:`-nested segments, where a segment `*`
 * stands for any one segment, and a `*` as the LAST segment for any number of further segments,
 * none included (`admin:*` covers `admin`, `admin:users` and `admin:users:delete`). Segments compare
 * case-insensitively; a pattern without a wildcard covers only itself (`admin` does not cover
 * `admin:users`).
 *
 * The 2FA policy asks whether a member *could* do anything the realm's `mfa_permission` names, so
 * the match runs in both directions: two patterns match when some concrete permission is covered by
 * both. Held `admin:*` matches a policy of `admin:users` (the member may manage users), and held
 * `admin:users` matches a policy of `admin:*` (the member holds an admin permission). When in doubt
 * the second factor is required, never the other way round.
 */

const split = (pattern: string) => pattern.trim().toLowerCase().split(":");

/** Whether some concrete permission is covered by both patterns. */
export function permissionsOverlap(a: string, b: string): boolean {
  const left = split(a);
  const right = split(b);
  const tailWildcard = (segments: string[], at: number) => at === segments.length - 1 && segments[at] === "*";
  let i = 0;
  for (;;) {
    const aDone = i >= left.length;
    const bDone = i >= right.length;
    if (aDone && bDone) return true;
    // One ran out: the other must end in a `*` that also stands for "nothing more".
    if (aDone) return tailWildcard(right, i);
    if (bDone) return tailWildcard(left, i);
    // A trailing `*` on either side covers whatever the other has left.
    if (tailWildcard(left, i) || tailWildcard(right, i)) return true;
    const x = left[i];
    const y = right[i];
    if (x === "" || y === "") return false;
    if (x !== "*" && y !== "*" && x !== y) return false;
    i++;
  }
}

/** Whether any of a member's permissions matches the named one (see above). */
export function holdsPermission(held: Iterable<string>, named: string): boolean {
  for (const permission of held) if (permissionsOverlap(permission, named)) return true;
  return false;
}

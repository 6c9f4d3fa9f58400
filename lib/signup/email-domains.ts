/** The realm's signup lists (`signup_email_domains_allow` / `_deny`), already lower case. */
export interface EmailDomainLists {
  allow: readonly string[];
  deny: readonly string[];
}

/** The domain part of a normalised address: what follows the last `@`, without a trailing dot. */
export function emailDomain(email: string): string {
  return email
    .slice(email.lastIndexOf("@") + 1)
    .toLowerCase()
    .replace(/\.$/, "");
}

/** `listed` names a domain and everything under it: `example.com` covers `mail.example.com`. */
export function domainMatches(domain: string, listed: string): boolean {
  const entry = listed.toLowerCase().replace(/\.$/, "");
  return entry !== "" && (domain === entry || domain.endsWith(`.${entry}`));
}

/**
 * Whether an address may sign up: never when its domain is denied; otherwise when the allow list
 * is empty or names its domain. A deny entry wins over an allow entry (allow `example.com`,
 * deny `guest.example.com`).
 */
export function isEmailDomainAllowed(email: string, lists: EmailDomainLists): boolean {
  const domain = emailDomain(email);
  if (lists.deny.some((listed) => domainMatches(domain, listed))) return false;
  return lists.allow.length === 0 || lists.allow.some((listed) => domainMatches(domain, listed));
}

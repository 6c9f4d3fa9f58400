export { domainMatches, type EmailDomainLists, emailDomain, isEmailDomainAllowed } from "./email-domains";

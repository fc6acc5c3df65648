/** What a verified admin JWT says about its holder. */
export interface AdminPrincipal {
  sub: number;
  username: string;
}

/** What a verified admin JWT says about its holder. */
export interface AdminPrincipal {
  sub: number;
  username: string;
  /** The admin's token version at issue; absent in tokens from before versions existed (= 0). */
  ver?: number;
  iat?: number;
}

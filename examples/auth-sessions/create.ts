// An example Intuned project's login code: Intuned runs it with a session's "parameters"
// to create (and re-create) the AuthSession. Not compiled by intuned-gitops itself.
import type { BrowserContext, Page } from "playwright";
import { authenticator } from "otplib";

const PORTAL_URL = "https://portal.supplier.example.com";

export interface CreateParams {
  username: string;
  password: string;
  /** Base32 TOTP secret of the account's authenticator app, when it has 2FA. */
  totpSecret?: string;
  /** Accounts that belong to several tenants pick one after logging in. */
  tenant?: string;
}

export default async function* create(
  params: CreateParams,
  page: Page,
  _context: BrowserContext
): AsyncGenerator<unknown, any, string> {
  await page.goto(`${PORTAL_URL}/login`);
  await page.getByLabel("Email").fill(params.username);
  await page.getByLabel("Password").fill(params.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  if (params.totpSecret) {
    const codeInput = page.getByLabel("Authentication code");
    await codeInput.waitFor({ state: "visible" });
    await codeInput.fill(authenticator.generate(params.totpSecret));
    await page.getByRole("button", { name: "Verify" }).click();
  }

  if (params.tenant) {
    await page.getByRole("combobox", { name: "Organization" }).selectOption(params.tenant);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  await page.waitForURL(`${PORTAL_URL}/dashboard**`);
}

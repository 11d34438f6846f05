// Intuned runs this before each Run that uses the session: true means still logged in;
// false makes Intuned re-create the session with auth-sessions/create.
import type { BrowserContext, Page } from "playwright";

const PORTAL_URL = "https://portal.supplier.example.com";

export default async function check(page: Page, _context: BrowserContext): Promise<boolean> {
  await page.goto(`${PORTAL_URL}/dashboard`);
  if (page.url().includes("/login")) return false;
  return page.getByRole("button", { name: "Account menu" }).isVisible();
}

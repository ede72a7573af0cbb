import { it } from 'vitest';
import { useBuiltApp } from './support/app';
import { openWatchedPage } from './support/browser';
const app = useBuiltApp();
const AZ = 'fixtures/public-ca/azure';
it('explore', async () => {
  const { page, context, errors } = await openWatchedPage(app.browser, app.url);
  await page.goto(app.url + '#/chain?sample=letsencrypt-2021&at=2021-10-01&profile=openssl-1.0.2');
  await page.waitForSelector('#verdict-title');
  await page.waitForTimeout(1500);
  console.log('LE verdict', await page.locator('.verdict').innerText());
  console.log('LE paths', await page.locator('.paths').innerText());
  console.log('LE selected', await page.locator('.paths > li.selected').count());
  await page.goto(app.url + '#/chain?sample=azure-cross-sign&at=2026-11-27');
  await page.waitForTimeout(1500);
  await page.locator('summary', {hasText:'How this client'}).click(); console.log('AZ verdict', await page.locator('.verdict').innerText());
  // load files
  await page.goto(app.url + '#/chain');
  await page.waitForTimeout(1000);
  await page.locator('input[type=file]').setInputFiles([`${AZ}/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`]);
  await page.waitForTimeout(1500);
  console.log('trust select value', await page.getByLabel('Trust store').inputValue(), await page.getByLabel('Trust store').locator('option:checked').count(), page.url());
  await page.getByRole('button', {name: 'Clear my certificates'}).click();
  await page.waitForTimeout(1500);
  console.log('after clear', (await page.locator('.main').innerText()).slice(0, 800));
  // item 6
  await page.goto(app.url + '#/chain?sample=azure-cross-sign');
  await page.waitForTimeout(1500);
  await page.getByRole('textbox',{name:'Host name'}).fill('other.example.com');
  await page.getByRole('link', { name: /What would psql/ }).click();
  await page.waitForTimeout(1000);
  console.log('after click', page.url());
  console.log(errors);
  await context.close();
}, 60000);

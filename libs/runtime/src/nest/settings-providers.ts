import type { Provider } from '@nestjs/common';
import {
  APPLICATION_SETTINGS,
  USAGE_BATCH_MAX,
  SSO_SETTINGS,
  USAGE_SETTINGS,
  WEBAUTHN_SETTINGS,
  WEBHOOK_SETTINGS,
  type ApplicationSettings,
  type SsoSettings,
  type UsageSettings,
  type WebauthnSettings,
  type WebhookSettings,
} from '@custos/application';
import { RedisKeys } from '@custos/contracts';
import { AddressHasher, PasswordHasher, SecretBox, SecretMatcher, TokenHasher } from '@custos/crypto';
import { CountryLookup } from '@custos/domain';
import type { CustosConfig } from '../config/custos-config';
import { CountryLocator, NoCountryLookup } from '../geo/country-locator';

/**
 * What the use cases take from configuration, mapped once for every process (api, worker, tests):
 * the settings objects, the token hasher with its peppers, the secret matcher and the address hasher built on it, the
 * password hasher, the master-key box, the country database and the installation's Redis key namespace.
 */
export function settingsProviders(config: CustosConfig, redisKeys: RedisKeys): Provider[] {
  return [
    { provide: APPLICATION_SETTINGS, useValue: applicationSettingsOf(config) },
    { provide: WEBHOOK_SETTINGS, useValue: webhookSettingsOf(config) },
    { provide: USAGE_SETTINGS, useValue: usageSettingsOf(config) },
    { provide: SSO_SETTINGS, useValue: { allowHttpIssuers: config.CUSTOS_SSO_ALLOW_HTTP_ISSUERS } satisfies SsoSettings },
    { provide: WEBAUTHN_SETTINGS, useValue: webauthnSettingsOf(config) },
    { provide: RedisKeys, useValue: redisKeys },
    {
      provide: TokenHasher,
      useValue: TokenHasher.fromConfig({
        currentId: config.CUSTOS_TOKEN_PEPPER_ID,
        currentSecret: config.CUSTOS_TOKEN_PEPPER,
        previous: config.CUSTOS_TOKEN_PEPPERS_PREVIOUS,
      }),
    },
    { provide: AddressHasher, useFactory: (hasher: TokenHasher) => new AddressHasher(hasher), inject: [TokenHasher] },
    // One per process: the fingerprints it keeps are what spares the verify path its HMACs.
    { provide: SecretMatcher, useFactory: (hasher: TokenHasher) => new SecretMatcher(hasher), inject: [TokenHasher] },
    // Read once, at start (a few MB); a missing or broken CUSTOS_GEOIP_DB stops the start.
    { provide: CountryLookup, useFactory: () => (config.CUSTOS_GEOIP_DB === 'off' ? new NoCountryLookup() : CountryLocator.open(config.CUSTOS_GEOIP_DB)) },
    { provide: PasswordHasher, useValue: new PasswordHasher() },
    { provide: SecretBox, useValue: new SecretBox(config.CUSTOS_MASTER_KEY) },
  ];
}

export function applicationSettingsOf(config: CustosConfig): ApplicationSettings {
  return {
    sessionTtlSeconds: config.CUSTOS_SESSION_TTL_SECONDS,
    verifyCacheTtlMs: config.CUSTOS_VERIFY_CACHE_TTL_MS,
    usageFlushIntervalMs: config.CUSTOS_USAGE_FLUSH_INTERVAL_MS,
    loginMinResponseMs: config.CUSTOS_LOGIN_MIN_RESPONSE_MS,
    operatorTenantId: config.CUSTOS_OPERATOR_TENANT_ID,
    firstSignupRunsInstallation: config.CUSTOS_EMBEDDED_DATABASE,
  };
}

export function webhookSettingsOf(config: CustosConfig): WebhookSettings {
  return {
    allowPrivateUrls: config.CUSTOS_WEBHOOK_ALLOW_PRIVATE_URLS,
    timeoutMs: config.CUSTOS_WEBHOOK_TIMEOUT_MS,
    retryBaseMs: config.CUSTOS_WEBHOOK_RETRY_BASE_MS,
    maxAttempts: config.CUSTOS_WEBHOOK_MAX_ATTEMPTS,
  };
}

export function usageSettingsOf(config: CustosConfig): UsageSettings {
  return {
    flushIntervalMs: config.CUSTOS_USAGE_FLUSH_INTERVAL_MS,
    bufferMax: config.CUSTOS_USAGE_BUFFER_MAX,
    batchMax: USAGE_BATCH_MAX,
    off: config.CUSTOS_USAGE_EVENTS === 'off',
  };
}

/** The relying party passkeys are bound to: the configured origins, or http://localhost:<PORT> on a first run. */
export function webauthnSettingsOf(config: CustosConfig): WebauthnSettings {
  const origins = config.CUSTOS_WEBAUTHN_ORIGIN ?? [`http://localhost:${config.PORT}`];
  return { rpId: config.CUSTOS_WEBAUTHN_RP_ID ?? new URL(origins[0]!).hostname, rpName: config.CUSTOS_WEBAUTHN_RP_NAME, origins };
}

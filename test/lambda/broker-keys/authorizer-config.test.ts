import { describe, expect, it } from "vitest";
import {
  InvalidAuthorizerEnvironmentError,
  loadAuthorizerConfig,
} from "../../../lambda/broker-keys/authorizer-config.ts";

describe("Unit: authorizer configuration", () => {
  it("reads the table name and the pepper's secret id", () => {
    expect(
      loadAuthorizerConfig({
        BROKER_KEYS_TABLE_NAME: "VaultSessionBroker-BrokerKeysTable1A2B3C",
        BROKER_KEYS_PEPPER_SECRET_ID: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pepper-AbCdEf",
      }),
    ).toEqual({
      tableName: "VaultSessionBroker-BrokerKeysTable1A2B3C",
      pepperSecretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pepper-AbCdEf",
    });
  });

  it("names every missing or invalid variable at once", () => {
    const load = () => loadAuthorizerConfig({ BROKER_KEYS_TABLE_NAME: "a b" });

    expect(load).toThrow(InvalidAuthorizerEnvironmentError);
    expect(load).toThrow(
      "Invalid configuration: BROKER_KEYS_TABLE_NAME must be a DynamoDB table name; BROKER_KEYS_PEPPER_SECRET_ID is required",
    );
  });
});

package dev.lain.records.certs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lain.tls.CheckedCertificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A certificate as kept at {@code /lain/webrouter/certs/<name>}: the JSON object {@code {name,
 * certificate, key, hosts, notAfter, fingerprint, addedAt}} with PEM texts and ISO-8601 instants.
 *
 * @param certificate the chain as PEM, server certificate first
 * @param key the private key as unencrypted PKCS#8 PEM
 * @param hosts the host names the certificate serves, lower-cased
 * @param fingerprint SHA-256 of the server certificate, hex pairs joined by {@code :}
 * @param addedAt when {@code lainctl ssl add} stored it
 */
public record StoredCertificate(
    String name,
    String certificate,
    String key,
    List<String> hosts,
    Instant notAfter,
    String fingerprint,
    Instant addedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public StoredCertificate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(addedAt, "addedAt");
  }

  /** The record for {@code checked} stored under {@code name} at {@code addedAt}. */
  public static StoredCertificate of(String name, CheckedCertificate checked, Instant addedAt) {
    return new StoredCertificate(
        name,
        checked.chainPem(),
        checked.keyPem(),
        checked.hosts(),
        checked.notAfter(),
        checked.fingerprint(),
        addedAt);
  }

  /** Everything but the key. */
  public CertificateSummary summary() {
    return new CertificateSummary(name, hosts, notAfter, fingerprint, addedAt);
  }

  /** The stored form. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", name);
    node.put("certificate", certificate);
    node.put("key", key);
    hosts.forEach(node.putArray("hosts")::add);
    node.put("notAfter", notAfter.toString());
    node.put("fingerprint", fingerprint);
    node.put("addedAt", addedAt.toString());
    return node.toString();
  }

  /**
   * Reads the stored form.
   *
   * @throws IllegalArgumentException naming every missing or malformed field
   */
  public static StoredCertificate fromJson(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    List<String> problems = new ArrayList<>();
    String name = text(node, "name", problems);
    String certificate = text(node, "certificate", problems);
    String key = text(node, "key", problems);
    String fingerprint = text(node, "fingerprint", problems);
    Instant notAfter = instant(node, "notAfter", problems);
    Instant addedAt = instant(node, "addedAt", problems);
    List<String> hosts = new ArrayList<>();
    JsonNode hostArray = node.get("hosts");
    if (hostArray == null || !hostArray.isArray()) {
      problems.add("hosts is not an array");
    } else {
      hostArray.forEach(h -> hosts.add(h.asText()));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new StoredCertificate(name, certificate, key, hosts, notAfter, fingerprint, addedAt);
  }

  /** Leaves the private key out, so the record can be logged. */
  @Override
  public String toString() {
    return "StoredCertificate[name="
        + name
        + ", hosts="
        + hosts
        + ", notAfter="
        + notAfter
        + ", fingerprint="
        + fingerprint
        + "]";
  }

  private static String text(JsonNode node, String field, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      problems.add(field + " is missing or not a string");
      return "";
    }
    return value.asText();
  }

  private static Instant instant(JsonNode node, String field, List<String> problems) {
    String text = text(node, field, problems);
    if (text.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(field + " '" + text + "' is not an ISO-8601 instant");
      return Instant.EPOCH;
    }
  }
}

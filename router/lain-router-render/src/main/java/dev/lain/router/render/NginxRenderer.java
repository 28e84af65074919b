package dev.lain.router.render;

import dev.lain.model.DnsNames;
import dev.lain.model.web.Mountpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders the webrouter's nginx configuration. Pure: the same input gives byte-identical output,
 * whatever the order of the routes and maps in it.
 *
 * <pre>
 *  RouteTable ──► check every route ──► one mount per (host, path) ──► upstream per pod group
 *  (store)        (skip + warn)          (conflict: smaller pod        server per host
 *                                          group wins + warn)           default servers
 * </pre>
 *
 * The rules are in this module's README.
 */
public final class NginxRenderer {
  /** Variable set by {@link #mainConfig}: non-empty for a plain-HTTP request not forwarded TLS. */
  static final String REDIRECT_VARIABLE = "$lain_redirect_to_https";

  /** Order of backends in an upstream: IPv4 numerically, then IPv6, then port. */
  private static final Comparator<Backend> BACKEND_ORDER =
      Comparator.comparing((Backend b) -> b.ip().contains(":"))
          .thenComparing(b -> b.ip().contains(":") ? b.ip() : ipv4Key(b.ip()))
          .thenComparingInt(Backend::port);

  private NginxRenderer() {}

  /** One proc mounted at one path of a host, after conflicts are resolved. */
  private record Mount(String path, String podGroup, boolean httpsOnly) {}

  /** What makes two hosts' server blocks the same. */
  private record ServerKey(boolean internal, Optional<String> certificate, List<Mount> mounts) {}

  /**
   * The routes file: upstreams, one server per set of hosts served alike, and default servers that
   * answer unknown hosts. It relies on the maps and proxy settings of {@link #mainConfig}.
   */
  public static RenderedConfig render(RouteTable table, RouterSettings settings) {
    SortedSet<String> warnings = new TreeSet<>();

    // host -> path -> pod group -> https only (OR over duplicates of one pod group)
    SortedMap<String, SortedMap<String, SortedMap<String, Boolean>>> claims = new TreeMap<>();
    SortedMap<String, SortedSet<Backend>> backends = new TreeMap<>();
    for (Route route : table.routes()) {
      Optional<String> problem = routeProblem(route);
      if (problem.isPresent()) {
        warnings.add(
            "skipped mountpoint "
                + describeMountpoint(route)
                + " of "
                + Inputs.quote(route.podGroup())
                + ": "
                + problem.get());
        continue;
      }
      SortedSet<Backend> instances =
          backends.computeIfAbsent(route.podGroup(), pg -> new TreeSet<>(BACKEND_ORDER));
      for (Backend backend : route.backends()) {
        Optional<String> bad =
            Inputs.ipProblem(backend.ip())
                .map(p -> "address " + p)
                .or(() -> Inputs.portProblem(backend.port()));
        if (bad.isPresent()) {
          warnings.add(
              "skipped backend "
                  + Inputs.quote(backend.ip() + " port " + backend.port())
                  + " of "
                  + route.podGroup()
                  + ": "
                  + bad.get());
        } else {
          instances.add(backend);
        }
      }
      claims
          .computeIfAbsent(route.host(), h -> new TreeMap<>())
          .computeIfAbsent(route.path(), p -> new TreeMap<>())
          .merge(route.podGroup(), route.httpsOnly(), Boolean::logicalOr);
    }

    SortedMap<String, List<Mount>> mountsByHost = new TreeMap<>();
    SortedSet<String> podGroupsServed = new TreeSet<>();
    claims.forEach(
        (host, paths) -> {
          List<Mount> mounts = new ArrayList<>();
          paths.forEach(
              (path, podGroups) -> {
                String winner = podGroups.firstKey();
                if (podGroups.size() > 1) {
                  warnings.add(
                      "mountpoint "
                          + host
                          + path
                          + " is claimed by "
                          + String.join(", ", podGroups.keySet())
                          + ": serving "
                          + winner
                          + " (the first by name)");
                }
                mounts.add(new Mount(path, winner, podGroups.get(winner)));
                podGroupsServed.add(winner);
              });
          mountsByHost.put(host, mounts);
        });

    CertificateChooser chooser =
        new CertificateChooser(table.sslPatterns(), table.certificates(), warnings);
    Map<String, Optional<String>> certificateByHost = new LinkedHashMap<>();
    SortedMap<String, SortedSet<String>> missingCertificates = new TreeMap<>();
    for (String host : mountsByHost.keySet()) {
      CertificateChooser.Choice choice = chooser.choose(host);
      certificateByHost.put(host, choice.certificate());
      for (CertificateChooser.Entry missing : choice.missing()) {
        missingCertificates
            .computeIfAbsent(
                "ssl pattern "
                    + Inputs.quote(missing.pattern())
                    + " names certificate "
                    + Inputs.quote(missing.certificate())
                    + ", which is not installed; hosts it would serve: ",
                k -> new TreeSet<>())
            .add(host);
      }
    }
    missingCertificates.forEach((message, hosts) -> warnings.add(message + listSome(hosts)));

    ConfWriter w = new ConfWriter();
    w.line(
        "# Routes of store revision "
            + table.revision()
            + ", rendered by lain-router-render. Do not edit: the router rewrites this file.");
    w.line(
        "# Internal hosts: "
            + settings.internalHttp().nginx()
            + " (http), "
            + settings.internalHttps().nginx()
            + " (https). External hosts: those and "
            + settings.externalHttp().nginx()
            + " (http), "
            + settings.externalHttps().nginx()
            + " (https).");

    for (String podGroup : podGroupsServed) {
      SortedSet<Backend> instances = backends.get(podGroup);
      if (instances.isEmpty()) {
        continue;
      }
      w.blank().open("upstream " + podGroup);
      for (Backend backend : instances) {
        w.line("server " + Inputs.hostPort(backend.ip(), backend.port()) + ";");
      }
      RouterSettings.Tuning tuning = settings.tuning();
      if (tuning.upstreamKeepalive() > 0) {
        w.line("keepalive " + tuning.upstreamKeepalive() + ";");
        w.line("keepalive_timeout " + nginxTime(tuning.upstreamKeepaliveTimeout()) + ";");
      }
      w.close();
    }

    // Hosts served alike share one server block: nginx parses and keeps far fewer blocks (each
    // costs it memory and reload time), and matching by name is unchanged.
    Map<ServerKey, List<String>> hostsByServer = new LinkedHashMap<>();
    for (Map.Entry<String, List<Mount>> entry : mountsByHost.entrySet()) {
      String host = entry.getKey();
      ServerKey key =
          new ServerKey(
              RouteRules.isInternal(host, table.domains()),
              certificateByHost.get(host),
              entry.getValue());
      hostsByServer.computeIfAbsent(key, k -> new ArrayList<>()).add(host);
    }
    SortedSet<String> certificatesUsed = new TreeSet<>();
    for (Map.Entry<ServerKey, List<String>> entry : hostsByServer.entrySet()) {
      List<String> hosts = entry.getValue();
      boolean internal = entry.getKey().internal();
      Optional<String> certificate = entry.getKey().certificate();
      certificate.ifPresent(certificatesUsed::add);
      List<Listen> plain =
          internal
              ? List.of(settings.internalHttp())
              : List.of(settings.internalHttp(), settings.externalHttp());
      List<Listen> tls =
          certificate.isEmpty()
              ? List.of()
              : internal
                  ? List.of(settings.internalHttps())
                  : List.of(settings.internalHttps(), settings.externalHttps());

      w.blank()
          .line(
              "# "
                  + (hosts.size() <= 3
                      ? String.join(", ", hosts)
                      : String.join(", ", hosts.subList(0, 3))
                          + " and "
                          + (hosts.size() - 3)
                          + " more")
                  + ": "
                  + (internal ? "internal" : "external")
                  + certificate.map(c -> ", certificate " + c).orElse(", no certificate"));
      w.open("server");
      for (Listen listen : plain) {
        w.line("listen " + listen.nginx() + ";");
      }
      for (Listen listen : tls) {
        w.line("listen " + listen.nginx() + " ssl http2;");
      }
      StringBuilder names = new StringBuilder("server_name");
      for (String host : hosts) {
        names.append(' ').append(host).append(" *.").append(host);
      }
      w.line(names.append(';').toString());
      if (certificate.isPresent()) {
        String base = settings.certificateDir() + "/" + certificate.get();
        w.line("ssl_certificate " + base + ".crt;");
        w.line("ssl_certificate_key " + base + ".key;");
      }
      List<Mount> mounts = entry.getKey().mounts();
      if (mounts.stream().noneMatch(m -> m.path().isEmpty())) {
        w.blank().open("location /");
        w.line("return 404 \"no app is mounted at this path of $host\\n\";");
        w.close();
      }
      for (Mount mount : mounts) {
        boolean hasBackends = !backends.get(mount.podGroup()).isEmpty();
        if (mount.path().isEmpty()) {
          location(w, "/", mount, hasBackends, "");
        } else {
          location(w, "= " + mount.path(), mount, hasBackends, "/");
          location(w, mount.path() + "/", mount, hasBackends, "/");
        }
      }
      w.close();
    }

    w.blank().line("# Hosts no app mounts. TLS handshakes for them are refused: no certificate.");
    w.open("server");
    w.line("listen " + settings.internalHttp().nginx() + " default_server;");
    w.line("listen " + settings.externalHttp().nginx() + " default_server;");
    w.line("server_name _;");
    w.line("return 404 \"no app is mounted at $host\\n\";");
    w.close();
    w.open("server");
    w.line("listen " + settings.internalHttps().nginx() + " ssl http2 default_server;");
    w.line("listen " + settings.externalHttps().nginx() + " ssl http2 default_server;");
    w.line("server_name _;");
    w.line("ssl_reject_handshake on;");
    // A handshake for a known host can carry a Host header for an unknown one.
    w.line("return 404 \"no app is mounted at $host\\n\";");
    w.close();

    List<String> safeWarnings = warnings.stream().map(NginxRenderer::printableAscii).toList();
    return new RenderedConfig(w.text(), List.copyOf(certificatesUsed), safeWarnings);
  }

  /**
   * One location of a mount. {@code uri} is what replaces the matched prefix when proxying: {@code
   * "/"} strips the mount path, as LAIN did; {@code ""} passes the request URI unchanged.
   */
  private static void location(
      ConfWriter w, String match, Mount mount, boolean hasBackends, String uri) {
    w.blank().open("location " + match);
    if (mount.httpsOnly()) {
      w.open("if (" + REDIRECT_VARIABLE + ")");
      w.line("return 301 https://$host$request_uri;");
      w.close();
    }
    if (hasBackends) {
      w.line("proxy_pass http://" + mount.podGroup() + uri + ";");
    } else {
      w.line("return 503 \"no healthy instance of " + mount.podGroup() + "\\n\";");
    }
    w.close();
  }

  /** The mountpoint for a warning: host and path apart when the path is not a path. */
  private static String describeMountpoint(Route route) {
    return route.path().isEmpty() || route.path().startsWith("/")
        ? Inputs.quote(route.mountpoint())
        : Inputs.quote(route.host()) + " with path " + Inputs.quote(route.path());
  }

  /** Why a route cannot be placed into the config, or empty. */
  private static Optional<String> routeProblem(Route route) {
    return Inputs.podGroupProblem(route.podGroup())
        .map(p -> "the pod group name " + p)
        .or(() -> DnsNames.problem(route.host()).map(p -> "the host " + p))
        .or(() -> Mountpoints.pathProblem(route.path()).map(p -> "the path " + p));
  }

  /**
   * The main nginx.conf: process settings, logs, the maps and proxy settings every route relies on,
   * TLS protocols, and the {@code include} of the routes file. The router starts nginx with it
   * once; only the routes file changes on a reload.
   *
   * <p>It sets neither {@code daemon} nor {@code user}: the router passes {@code -g 'daemon off;'}
   * if it supervises nginx in the foreground, and workers run as nginx's built-in default user
   * ({@code nobody}) when the master runs as root.
   *
   * @param pidFile absolute path of nginx's pid file
   * @param errorLog absolute path of the error log, or {@code stderr}
   * @param routesFile absolute path of the file {@link #render} output is written to
   * @param tempDir absolute path of a directory for nginx's request and response buffers; nginx
   *     creates its sub-directories
   * @throws IllegalArgumentException if a path is not absolute or has characters other than
   *     letters, digits and {@code ._/@+,=:-}
   */
  public static String mainConfig(
      RouterSettings settings, String pidFile, String errorLog, String routesFile, String tempDir) {
    requireFilePath("pidFile", pidFile);
    if (!errorLog.equals("stderr")) {
      requireFilePath("errorLog", errorLog);
    }
    requireFilePath("routesFile", routesFile);
    requireFilePath("tempDir", tempDir);
    String temp =
        tempDir.length() > 1 && tempDir.endsWith("/")
            ? tempDir.substring(0, tempDir.length() - 1)
            : tempDir;
    RouterSettings.Tuning tuning = settings.tuning();

    ConfWriter w = new ConfWriter();
    w.line(
        "# Main configuration of a LAIN webrouter, rendered by lain-router-render. Do not edit.");
    w.line(
        "worker_processes "
            + (tuning.workerProcesses() == 0 ? "auto" : tuning.workerProcesses())
            + ";");
    w.line("pid " + pidFile + ";");
    w.line("error_log " + errorLog + " warn;");
    w.line("# Old workers finish open requests for this long after a reload, then close.");
    w.line("worker_shutdown_timeout " + nginxTime(tuning.workerShutdownTimeout()) + ";");
    w.blank().open("events");
    w.line("worker_connections " + tuning.workerConnections() + ";");
    w.close();
    w.blank().open("http");
    w.line("server_tokens off;");
    w.line("default_type text/plain;");
    w.line("keepalive_timeout 65s;");
    w.line("# Host names may be 253 characters long.");
    w.line("server_names_hash_bucket_size 512;");
    w.line("server_names_hash_max_size 8192;");
    w.line("client_max_body_size 0;");
    w.line("client_body_temp_path " + temp + "/client_body;");
    w.line("proxy_temp_path " + temp + "/proxy;");
    w.line("fastcgi_temp_path " + temp + "/fastcgi;");
    w.line("uwsgi_temp_path " + temp + "/uwsgi;");
    w.line("scgi_temp_path " + temp + "/scgi;");

    w.blank()
        .line(
            "log_format lain '$remote_addr - [$time_local] \"$request\" $status"
                + " $body_bytes_sent \"$http_referer\" \"$http_user_agent\" host=$host"
                + " pod_group=$proxy_host upstream=$upstream_addr"
                + " request_time=$request_time upstream_time=$upstream_response_time';");
    w.line(
        settings.accessLog().equals("off")
            ? "access_log off;"
            : "access_log " + settings.accessLog() + " lain;");

    w.blank().line("# The protocol the client used: X-Forwarded-Proto from a TLS-terminating");
    w.line("# load balancer in front if the request has one (its first value), else the scheme.");
    w.open("map $http_x_forwarded_proto $lain_forwarded_proto");
    w.line("default $scheme;");
    w.line("\"~*^\\s*https\\s*(,|$)\" https;");
    w.line("\"~*^\\s*http\\s*(,|$)\" http;");
    w.close();
    w.line("# https_only: redirect requests that reached a plain-HTTP listen as plain HTTP.");
    w.open("map \"$https:$lain_forwarded_proto\" " + REDIRECT_VARIABLE);
    w.line("default \"\";");
    w.line("\":http\" 1;");
    w.close();
    w.line("# Keep-alive to instances, except for websocket upgrades.");
    w.open("map $http_upgrade $lain_connection");
    w.line("default upgrade;");
    w.line("\"\" \"\";");
    w.close();

    w.blank().line("proxy_http_version 1.1;");
    w.line("proxy_set_header Host $host;");
    w.line("proxy_set_header X-Real-IP $remote_addr;");
    w.line("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    w.line("proxy_set_header X-Forwarded-Proto $lain_forwarded_proto;");
    w.line("proxy_set_header Upgrade $http_upgrade;");
    w.line("proxy_set_header Connection $lain_connection;");
    w.line("proxy_connect_timeout " + nginxTime(tuning.proxyConnectTimeout()) + ";");
    w.line("proxy_send_timeout " + nginxTime(tuning.proxyReadTimeout()) + ";");
    w.line("proxy_read_timeout " + nginxTime(tuning.proxyReadTimeout()) + ";");
    w.line("proxy_next_upstream error timeout http_502;");
    w.line("proxy_next_upstream_tries " + tuning.upstreamTries() + ";");

    w.blank().line("ssl_protocols TLSv1.2 TLSv1.3;");
    w.line(
        "ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
            + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;");
    w.line("ssl_prefer_server_ciphers off;");
    w.line("ssl_session_cache shared:lain_tls:10m;");
    w.line("ssl_session_timeout 1d;");
    w.line("ssl_session_tickets off;");

    w.blank().line("include " + routesFile + ";");
    w.close();
    return w.text();
  }

  private static void requireFilePath(String name, String path) {
    Inputs.filePathProblem(path)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(name + " " + p);
            });
  }

  /** An nginx time: whole seconds as {@code 30s}, anything else in milliseconds. */
  static String nginxTime(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }

  private static String listSome(SortedSet<String> items) {
    List<String> shown = items.stream().limit(3).toList();
    String text = String.join(", ", shown);
    return items.size() > shown.size()
        ? text + " and " + (items.size() - shown.size()) + " more"
        : text;
  }

  private static String ipv4Key(String ip) {
    StringBuilder key = new StringBuilder();
    for (String part : ip.split("\\.")) {
      key.append("000".substring(part.length())).append(part);
    }
    return key.toString();
  }

  /** Escapes anything outside printable ASCII, so a warning is one safe log line. */
  private static String printableAscii(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

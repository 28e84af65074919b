package dev.lain.router.render;

import dev.lain.model.ClusterDomains;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table of golden cases: each renders to {@code src/test/resources/golden/<name>.conf}. */
final class GoldenCases {
  record Case(RouteTable table, RouterSettings settings) {}

  static final RouterSettings TEST_SETTINGS =
      new RouterSettings(
          new Listen("127.0.0.1", 18080),
          new Listen("127.0.0.1", 18443),
          new Listen("127.0.0.1", 28080),
          new Listen("127.0.0.1", 28443),
          "/etc/lain/router/ssl",
          "/var/log/lain/router/access.log",
          RouterSettings.Tuning.DEFAULT);

  static final ClusterDomains WITH_EXTRA =
      new ClusterDomains("lain.local", List.of("example.xyz", "corp.example.net"));

  private GoldenCases() {}

  static Route route(String podGroup, String mountpoint, Backend... backends) {
    int slash = mountpoint.indexOf('/');
    String host = slash < 0 ? mountpoint : mountpoint.substring(0, slash);
    String path = slash < 0 ? "" : mountpoint.substring(slash);
    return new Route(podGroup, host, path, false, List.of(backends));
  }

  static Backend b(String ip, int port) {
    return new Backend(ip, port);
  }

  static Map<String, Case> all() {
    Map<String, Case> cases = new LinkedHashMap<>();
    RouterSettings s = TEST_SETTINGS;
    Backend hello1 = b("172.20.0.5", 80);
    Backend hello2 = b("172.20.0.12", 80);

    cases.put("empty", new Case(RouteTable.of(1, ClusterDomains.DEFAULT, List.of()), s));

    cases.put(
        "internal-default-domain",
        new Case(
            RouteTable.of(
                2,
                ClusterDomains.DEFAULT,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello2, hello1),
                    route("hello.web.web", "hello.lain", hello1, hello2),
                    route("console.web.web", "console.lain.local", b("172.20.0.9", 8000)))),
            s));

    cases.put(
        "external-host",
        new Case(
            RouteTable.of(
                3,
                ClusterDomains.DEFAULT,
                List.of(
                    route("blog.web.web", "blog.lain.local", b("172.20.1.2", 80)),
                    route("blog.web.web", "blog.lain", b("172.20.1.2", 80)),
                    route("blog.web.web", "powerlain.com", b("172.20.1.2", 80)),
                    route("blog.web.web", "www.powerlain.com", b("172.20.1.2", 80)))),
            s));

    // lain.local stays internal when extra domains are set (LAIN made it external: it compared
    // against the main domain, example.xyz); "local" and "lain.local.evil.com" are not within a
    // cluster domain.
    cases.put(
        "extra-domains-main-domain-nuance",
        new Case(
            RouteTable.of(
                4,
                WITH_EXTRA,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello1),
                    route("hello.web.web", "hello.example.xyz", hello1),
                    route("hello.web.web", "hello.corp.example.net", hello1),
                    route("hello.web.web", "hello.lain", hello1),
                    route("hello.web.web", "example.xyz", hello1),
                    route("hello.web.web", "lain.local.example.com", hello1),
                    route("hello.web.web", "hello.example.net", hello1))),
            s));

    cases.put(
        "ssl-globs-and-exact-names",
        new Case(
            new RouteTable(
                5,
                WITH_EXTRA,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello1),
                    route("hello.web.web", "hello.lain", hello1),
                    route("hello.web.web", "hello.example.xyz", hello1),
                    route("blog.web.web", "blog.example.xyz", b("172.20.1.2", 80)),
                    route("blog.web.web", "api.v2.example.xyz", b("172.20.1.2", 80)),
                    route("blog.web.web", "powerlain.com", b("172.20.1.2", 80)),
                    route("blog.web.web", "www.powerlain.com", b("172.20.1.2", 80)),
                    route("blog.web.web", "shop.powerlain.com", b("172.20.1.2", 80)),
                    route("blog.web.web", "a1.x.io", b("172.20.1.2", 80)),
                    route("blog.web.web", "nocert.org", b("172.20.1.2", 80))),
                Map.of(
                    "*.lain", "web",
                    "*.lain.local", "web",
                    "*.example.xyz", "example.xyz",
                    "blog.example.xyz", "blog",
                    "api.*.example.xyz", "api",
                    "powerlain.com", "powerlain",
                    "*.powerlain.com", "powerlain-wildcard",
                    "shop.powerlain.com", "shop",
                    "a?.x.io", "x-io"),
                Set.of(
                    "web",
                    "example.xyz",
                    "blog",
                    "api",
                    "powerlain",
                    "powerlain-wildcard",
                    "shop",
                    "x-io",
                    "unused")),
            s));

    cases.put(
        "ssl-certificate-not-installed",
        new Case(
            new RouteTable(
                6,
                ClusterDomains.DEFAULT,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello1),
                    route("hello.web.web", "www.powerlain.com", hello1),
                    route("hello.web.web", "powerlain.com", hello1)),
                Map.of(
                    "*.lain.local", "web",
                    "powerlain.com", "powerlain",
                    "*.powerlain.com", "powerlain-new",
                    "*.com", "com-wildcard",
                    "*", "catch-all"),
                Set.of("web", "catch-all")),
            s));

    cases.put(
        "https-only",
        new Case(
            new RouteTable(
                7,
                ClusterDomains.DEFAULT,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello1).withHttpsOnly(true),
                    route("shop.web.web", "shop.com", b("172.20.2.1", 8080)).withHttpsOnly(true),
                    route("shop.web.admin", "shop.com/admin", b("172.20.2.2", 8080)),
                    route("shop.web.pay", "shop.com/pay", b("172.20.2.3", 8080))
                        .withHttpsOnly(true),
                    route("shop.web.down", "shop.com/down").withHttpsOnly(true)),
                Map.of("*.lain.local", "web"),
                Set.of("web")),
            s));

    cases.put(
        "path-mountpoints",
        new Case(
            RouteTable.of(
                8,
                ClusterDomains.DEFAULT,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello1),
                    route("hello.web.admin", "hello.lain.local/admin", b("172.20.0.7", 80)),
                    route("hello.web.api", "hello.lain.local/api/v1", b("172.20.0.8", 8080)),
                    route("hello.web.api", "hello.lain.local/api/v1.old-~_", b("172.20.0.8", 8080)),
                    route("docs.web.web", "docs.example.com/Docs", b("172.20.0.9", 80)))),
            s));

    cases.put(
        "several-procs-one-host",
        new Case(
            RouteTable.of(
                9,
                ClusterDomains.DEFAULT,
                List.of(
                    route("console.web.web", "console.lain.local", b("172.20.3.1", 8000)),
                    route("console.web.api", "console.lain.local/api", b("172.20.3.2", 8000)),
                    route("console.web.ws", "console.lain.local/ws", b("172.20.3.3", 8001)),
                    route("archon.web.web", "archon.console.lain.local", b("172.20.3.4", 80)))),
            s));

    cases.put(
        "no-healthy-instance",
        new Case(
            RouteTable.of(
                10,
                ClusterDomains.DEFAULT,
                List.of(
                    route("hello.web.web", "hello.lain.local"),
                    route("hello.web.web", "hello.lain"),
                    route("hello.web.admin", "hello.lain.local/admin", b("300.1.1.1", 80)),
                    route("other.web.web", "other.lain.local", b("172.20.0.2", 80)))),
            s));

    cases.put(
        "conflicting-routes",
        new Case(
            RouteTable.of(
                11,
                ClusterDomains.DEFAULT,
                List.of(
                    route("zeta.web.web", "shared.com", b("172.20.4.2", 80)),
                    route("alpha.web.web", "shared.com", b("172.20.4.1", 80)),
                    route("mid.web.web", "shared.com", b("172.20.4.3", 80)),
                    route("zeta.web.web", "shared.com/z", b("172.20.4.2", 80)),
                    route("alpha.web.web", "alpha.lain.local", b("172.20.4.1", 80)),
                    route("alpha.web.web", "alpha.lain.local", b("172.20.4.1", 80))
                        .withHttpsOnly(true))),
            s));

    cases.put(
        "hostile-input",
        new Case(
            new RouteTable(
                12,
                ClusterDomains.DEFAULT,
                List.of(
                    route("ok.web.web", "ok.lain.local", b("172.20.0.2", 80)),
                    route("evil.web.web", "evil.com;} server { listen 1", hello1),
                    route("evil.web.web", "evil.com\n    include /etc/passwd", hello1),
                    route("evil.web.web", "EVIL.com", hello1),
                    route("evil.web.web", "*.evil.com", hello1),
                    route("evil.web.web", "evil.com/a;b", hello1),
                    route("evil.web.web", "evil.com/a b", hello1),
                    route("evil.web.web", "evil.com/a/../b", hello1),
                    route("evil.web.web", "evil.com/a{b}", hello1),
                    route("evil.web.web", "evil.com/$host", hello1),
                    route("evil.web.web", "evil.com/a/", hello1),
                    new Route("evil.web.web", "evil.com", "a", false, List.of(hello1)),
                    route("evil\"; return 200 \"x", "evil.com", hello1),
                    route("evil.web.web\u2028", "evil.com", hello1),
                    route(
                        "ok.web.web",
                        "ok.lain.local/b",
                        b("172.20.0.3; evil", 80),
                        b("172.20.0.3", 0),
                        b("172.20.0.3", 70000),
                        b("::1]:80; evil", 80),
                        b("fe80::1%eth0", 80),
                        b("01.2.3.4", 80),
                        b("172.20.0.4", 80))),
                Map.of(
                    "*.lain.local", "../../etc/passwd",
                    "ok.lain.local;", "web",
                    "*.lain\n", "web",
                    "[a-z].lain.local", "web",
                    "*.local", "web key",
                    "OK.LAIN.LOCAL", "web"),
                Set.of("web", "../../etc/passwd", "web key")),
            s));

    cases.put(
        "backend-order-and-ipv6",
        new Case(
            RouteTable.of(
                13,
                ClusterDomains.DEFAULT,
                List.of(
                    route(
                        "hello.web.web",
                        "hello.lain.local",
                        b("fd00::12", 80),
                        b("172.20.0.10", 80),
                        b("172.20.0.9", 80),
                        b("172.20.0.9", 80),
                        b("172.20.0.9", 8080),
                        b("::ffff:172.20.0.1", 80),
                        b("10.0.0.1", 80)),
                    route("hello.web.web", "hello.lain", b("172.20.0.11", 80)))),
            s));

    cases.put(
        "production-listens-no-keepalive",
        new Case(
            new RouteTable(
                14,
                ClusterDomains.DEFAULT,
                List.of(
                    route("hello.web.web", "hello.lain.local", hello1),
                    route("hello.web.web", "hello.powerlain.com", hello1)),
                Map.of("*.lain.local", "web", "*.powerlain.com", "powerlain"),
                Set.of("web", "powerlain")),
            RouterSettings.production("/etc/lain/router/ssl/", "off")
                .withTuning(
                    RouterSettings.Tuning.DEFAULT
                        .withUpstreamKeepalive(0)
                        .withWorkerShutdownTimeout(Duration.ofMillis(2500)))));
    return cases;
  }
}

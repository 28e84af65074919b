package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.spec.AppSpec;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;

/** Test helpers: lain.yaml texts to plan and build. */
final class Apps {
  static final MetaVersion V1 = MetaVersion.parse("1700000000-" + "a".repeat(40));
  static final MetaVersion V2 = MetaVersion.parse("1700000100-" + "b".repeat(40));

  private Apps() {}

  static AppSpec spec(String yaml) {
    ValidationResult result = LainYaml.validate(yaml);
    assertThat(result)
        .as("%s", result.diagnostics().stream().map(d -> d.format("lain.yaml")).toList())
        .isInstanceOf(ValidationResult.Valid.class);
    return ((ValidationResult.Valid) result).spec();
  }

  /** LAIN's hello-world shape: build, release with a copy, test. */
  static final String HELLO_WORLD =
      """
      appname: hello-world

      build:
        base: golang:1.8
        script:
          - go build -o hello-world
          - cd docs && make

      release:
        dest_base: registry.lain.local/centos-lain:20170426
        copy:
          - src: hello-world
            dest: /usr/bin/hello-world
          - /etc/hello
          - assets

      test:
        script:
          - go test ./...

      web:
        cmd: hello-world
        port: 8080
      """;

  /** A versioned prepare stage that keeps node_modules, build arguments, no release. */
  static final String PREPARED =
      """
      appname: console
      build:
        base: node:8
        prepare:
          version: 3
          script:
            - npm install
          keep:
            - node_modules
            - vendor/cache
        build_arg:
          - NODE_ENV=production
          - "GREETING=it's \\"quoted\\""
        script:
          - |
            npm run build
            echo done
          - echo "$NODE_ENV" > env.txt
      worker:
        cmd: node server.js
      """;

  /** A release script stage. */
  static final String RELEASE_SCRIPT =
      """
      appname: scripted
      build:
        base: lain-test/busybox:1
        script:
          - echo built > built.txt
      release:
        dest_base: lain-test/busybox:1
        script:
          - strip-debug out
        copy:
          - src: "/lain/app/my file.txt"
            dest: "/srv/my file.txt"
      worker:
        cmd: sleep 1000
      """;
}

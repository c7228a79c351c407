package io.gatehouse.spring;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A small application as users write them: Spring Security in front of everything, Actuator for operators. */
@SpringBootApplication
@RestController
public class TestApplication {

  @GetMapping("/private")
  String privatePage() {
    return "private page";
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/health").permitAll().anyRequest().authenticated())
        .httpBasic(withDefaults())
        .csrf(c -> c.ignoringRequestMatchers("/actuator/**"));
    return http.build();
  }

  /** Starts the application on a free port with the configuration file {@code name} (.properties or .yml). */
  static ConfigurableApplicationContext start(String name, String... more) {
    String[] props = new String[more.length + 3];
    props[0] = "spring.config.name=" + name;
    props[1] = "server.port=0";
    props[2] = "spring.main.banner-mode=off";
    System.arraycopy(more, 0, props, 3, more.length);
    return new SpringApplicationBuilder(TestApplication.class).properties(props).run();
  }
}

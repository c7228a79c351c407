package io.gatehouse.examples.spring;

import static org.springframework.security.config.Customizer.withDefaults;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A shop behind Spring Security, with Actuator for its operators, and Gatehouse in front of both: the
 * starter is a dependency and a few {@code gatehouse.*} lines in {@code application.properties}, nothing
 * more. {@code mvn -pl examples/spring-boot-app spring-boot:run}, then try the README's curl lines.
 */
@SpringBootApplication
@RestController
public class ShopApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  @GetMapping("/")
  String home() {
    return "Welcome to the shop.\n";
  }

  @GetMapping("/account")
  String account(java.security.Principal who) {
    return "Your account, " + who.getName() + ".\n";
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/", "/error", "/actuator/health").permitAll()
            .requestMatchers("/actuator/**").hasRole("OPS")
            .anyRequest().authenticated())
        .httpBasic(withDefaults())
        .formLogin(withDefaults())
        .csrf(c -> c.ignoringRequestMatchers("/actuator/**"));
    return http.build();
  }

  /** A shopper, and an operator for Actuator; passwords from the environment in a real deployment. */
  @Bean
  InMemoryUserDetailsManager users(@Value("${shop.password:shopper-password-change-me}") String shopper,
      @Value("${shop.ops-password:ops-password-change-me}") String ops) {
    return new InMemoryUserDetailsManager(
        User.withUsername("shopper").password("{noop}" + shopper).roles("USER").build(),
        User.withUsername("ops").password("{noop}" + ops).roles("OPS").build());
  }
}

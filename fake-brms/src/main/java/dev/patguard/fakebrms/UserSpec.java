package dev.patguard.fakebrms;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a user to create, given to {@link
 * FakeBrms#createUser(java.util.function.Consumer)}. Defaults: a random id, {@code
 * user-N@fake-brms.test}, status {@code active}, type {@code member}, not a service user, not an
 * admin, first name from the email, empty last name.
 */
public final class UserSpec {

  private @Nullable UUID id;
  private @Nullable String email;
  private String status = "active";
  private @Nullable String type;
  private @Nullable String firstName;
  private String lastName = "";
  private boolean service;
  private boolean admin;

  UserSpec() {}

  /**
   * Sets a fixed id.
   *
   * @param userId the id
   * @return this spec
   */
  public UserSpec id(UUID userId) {
    this.id = Objects.requireNonNull(userId, "userId must not be null");
    return this;
  }

  /**
   * Sets the email address.
   *
   * @param address the address, not blank
   * @return this spec
   */
  public UserSpec email(String address) {
    this.email = nonBlank(address, "email");
    return this;
  }

  /**
   * Sets the status served in {@code user.status}, kept verbatim.
   *
   * @param value such as {@code active} or {@code pending}
   * @return this spec
   */
  public UserSpec status(String value) {
    this.status = Objects.requireNonNull(value, "status must not be null");
    return this;
  }

  /**
   * Sets the type served in {@code user.type}, overriding the one {@link #serviceAccount()}
   * implies.
   *
   * @param value such as {@code member}
   * @return this spec
   */
  public UserSpec type(String value) {
    this.type = Objects.requireNonNull(value, "type must not be null");
    return this;
  }

  /**
   * Sets the first name.
   *
   * @param value the name
   * @return this spec
   */
  public UserSpec firstName(String value) {
    this.firstName = Objects.requireNonNull(value, "firstName must not be null");
    return this;
  }

  /**
   * Sets the last name.
   *
   * @param value the name
   * @return this spec
   */
  public UserSpec lastName(String value) {
    this.lastName = Objects.requireNonNull(value, "lastName must not be null");
    return this;
  }

  /**
   * Makes it a service user: {@code isService} true and type {@code service account}.
   *
   * @return this spec
   */
  public UserSpec serviceAccount() {
    return serviceAccount(true);
  }

  /**
   * Sets whether it is a service user.
   *
   * @param value true for a service user
   * @return this spec
   */
  public UserSpec serviceAccount(boolean value) {
    this.service = value;
    return this;
  }

  /**
   * Makes it an admin, whose tokens may call the service-user endpoints.
   *
   * @return this spec
   */
  public UserSpec admin() {
    return admin(true);
  }

  /**
   * Sets whether it is an admin.
   *
   * @param value true for an admin
   * @return this spec
   */
  public UserSpec admin(boolean value) {
    this.admin = value;
    return this;
  }

  @Nullable UUID id() {
    return id;
  }

  @Nullable String email() {
    return email;
  }

  String status() {
    return status;
  }

  String type() {
    return type != null ? type : service ? "service account" : "member";
  }

  @Nullable String firstName() {
    return firstName;
  }

  String lastName() {
    return lastName;
  }

  boolean service() {
    return service;
  }

  boolean isAdmin() {
    return admin;
  }

  static String nonBlank(String value, String name) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}

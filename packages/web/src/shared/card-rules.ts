/**
 * The server's card rules, compiled into the apps as they are: the customer's
 * screen checks answers with exactly the code the server runs again on submit.
 */
export * from '../../../server/src/confirm/card-rules';

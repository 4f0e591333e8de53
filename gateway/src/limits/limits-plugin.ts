import type { ApolloServerPlugin } from "@apollo/server";
import { ErrorCode } from "@pulse/platform/server";
import { GraphQLError, OperationTypeNode } from "graphql";
import { checkRequest, selectOperation, type OperationLimits } from "./operation-limits.ts";
import type { TrustedDocuments } from "./trusted-documents.ts";

/** The error as a whole request's failure: HTTP 400, nothing executed. */
function asBadRequest(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { ...error.extensions, http: { status: 400 } },
  });
}

/**
 * Refuses documents outside the trusted documents (when enforced), then checks what can only be
 * checked once a request's operation and variables are known: that the
 * document names one operation it has (Apollo would hand the gateway none: a 500), that it is
 * no subscription (served over graphql-ws only; the gateway's executor would fail: a 500), the
 * operation's cost, and NUL characters. Fails the request with BAD_USER_INPUT and HTTP 400
 * before any subgraph is called.
 */
export function operationLimitsPlugin<Context extends object>(
  limits: OperationLimits,
  trusted: TrustedDocuments,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        // Here rather than when the source is known: Apollo answers what a plugin throws earlier
        // with a 500, and from here with the error's own status.
        async didResolveOperation({ document, request, schema, source }) {
          const untrusted = trusted.check(source, request.operationName);
          if (untrusted) throw untrusted;
          const operation = selectOperation(document, request.operationName);
          if (operation instanceof Error) throw asBadRequest(operation);
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw asBadRequest(
              new GraphQLError("Subscriptions are served over graphql-ws on this same path", {
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              }),
            );
          }
          const error = checkRequest(schema, document, operation, request.variables, limits);
          if (error) throw asBadRequest(error);
        },
      };
    },
  };
}

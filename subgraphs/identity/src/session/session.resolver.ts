import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { IdentityContext } from "../context.ts";
import { AuthPayload } from "./auth-payload.type.ts";
import { LoginInput, RegisterInput } from "./session.input.ts";
import type { SessionPayload } from "./session.service.ts";

@Resolver()
export class SessionResolver {
  @Mutation(() => AuthPayload, {
    description: "Creates an account and signs it in. Mails a link to confirm the email address.",
  })
  async register(
    @Arg("input", () => RegisterInput, { description: "Email and password." }) input: RegisterInput,
    @Ctx() ctx: IdentityContext,
  ): Promise<SessionPayload> {
    await ctx.limits.consume("register:address", ctx.clientIp);
    return ctx.sessions.register(input.email, input.password, ctx.requestId);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Signs in with email and password. Limited to 10 attempts a minute per email and per address.",
  })
  login(
    @Arg("input", () => LoginInput, { description: "Email and password." }) input: LoginInput,
    @Ctx() ctx: IdentityContext,
  ): Promise<SessionPayload> {
    return ctx.sessions.login(input.email, input.password, ctx.clientIp);
  }

  @Mutation(() => AuthPayload, {
    description:
      "Exchanges a refresh token for new tokens. The old refresh token stops working; presenting it again signs the whole session out.",
  })
  refreshSession(
    @Arg("refreshToken", () => String, { description: "The latest refresh token of the session." })
    refreshToken: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<SessionPayload> {
    return ctx.sessions.refresh(refreshToken);
  }

  @Mutation(() => Boolean, {
    description: "Signs out the session the refresh token belongs to. Always true.",
  })
  logout(
    @Arg("refreshToken", () => String, { description: "A refresh token of the session to end." })
    refreshToken: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<true> {
    return ctx.sessions.logout(refreshToken);
  }

  @Mutation(() => Boolean, {
    description: "Signs the viewer out of every session on every device.",
  })
  logoutEverywhere(@Ctx() ctx: IdentityContext): Promise<true> {
    return ctx.sessions.logoutEverywhere(requireViewer(ctx));
  }
}

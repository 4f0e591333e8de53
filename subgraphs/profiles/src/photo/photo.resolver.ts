import type { Photo as PhotoRow } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { ProfilesContext } from "../context.ts";
import { PhotoUploadInput } from "./photo.input.ts";
import type { PhotoUploadGrant } from "./photo.service.ts";
import { Photo, PhotoSize, PhotoUpload } from "./photo.type.ts";

@Resolver(() => Photo)
export class PhotoResolver {
  @Mutation(() => PhotoUpload, {
    description:
      "Starts adding a photo: a presigned upload (image/jpeg, image/png or image/webp, up to 10 MiB) valid for 10 minutes. At most 9 photos a person, pending uploads included.",
  })
  async requestPhotoUpload(
    @Arg("input", () => PhotoUploadInput, { description: "What will be uploaded." })
    input: PhotoUploadInput,
    @Ctx() ctx: ProfilesContext,
  ): Promise<PhotoUploadGrant> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("photo-upload:person", viewer.id);
    return ctx.photos.requestUpload(viewer, input);
  }

  @Mutation(() => Photo, {
    description:
      "Checks the uploaded bytes (a real JPEG, PNG or WebP image within the declared size), strips their metadata and makes the photo visible, last in order. Confirming a confirmed photo returns it.",
  })
  confirmPhotoUpload(
    @Arg("photoId", () => ID, { description: "The id from `requestPhotoUpload`." })
    photoId: string,
    @Ctx() ctx: ProfilesContext,
  ): Promise<PhotoRow> {
    return ctx.photos.confirmUpload(requireViewer(ctx), photoId);
  }

  @Mutation(() => Photo, {
    description: "Makes one of the viewer's photos the primary one by moving it to the front.",
  })
  setPrimaryPhoto(
    @Arg("photoId", () => ID, { description: "One of the viewer's visible photos." })
    photoId: string,
    @Ctx() ctx: ProfilesContext,
  ): Promise<PhotoRow> {
    return ctx.photos.setPrimary(requireViewer(ctx), photoId);
  }

  @Mutation(() => [Photo], {
    description: "Puts the viewer's photos in this order; the first becomes the primary one.",
  })
  reorderPhotos(
    @Arg("photoIds", () => [ID], { description: "Every visible photo of the viewer, once each." })
    photoIds: string[],
    @Ctx() ctx: ProfilesContext,
  ): Promise<PhotoRow[]> {
    return ctx.photos.reorder(requireViewer(ctx), photoIds);
  }

  @Mutation(() => Boolean, { description: "Deletes one of the viewer's photos for good." })
  deletePhoto(
    @Arg("photoId", () => ID, { description: "The photo to delete." }) photoId: string,
    @Ctx() ctx: ProfilesContext,
  ): Promise<true> {
    return ctx.photos.delete(requireViewer(ctx), photoId);
  }

  @FieldResolver(() => String)
  url(
    @Root() photo: PhotoRow,
    @Arg("size", () => PhotoSize, {
      defaultValue: PhotoSize.LARGE,
      description: "Which stored size to link to.",
    })
    size: PhotoSize,
    @Ctx() ctx: ProfilesContext,
  ): Promise<string> {
    return ctx.photos.url(photo, size);
  }

  @FieldResolver(() => Boolean)
  isPrimary(@Root() photo: PhotoRow): boolean {
    return photo.position === 0;
  }
}

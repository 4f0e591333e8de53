import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

/** The sizes every confirmed photo is stored in, by width in pixels. */
export enum PhotoSize {
  LARGE = "LARGE",
  SMALL = "SMALL",
}

registerEnumType(PhotoSize, {
  name: "PhotoSize",
  description: "The sizes a photo is served in.",
  valuesConfig: {
    LARGE: { description: "Up to 1080 pixels wide, for full-screen display." },
    SMALL: { description: "Up to 320 pixels wide, for thumbnails and lists." },
  },
});

/** How the client sends the bytes to the presigned upload URL. */
export enum UploadMethod {
  PUT = "PUT",
  POST = "POST",
}

registerEnumType(UploadMethod, {
  name: "UploadMethod",
  description: "The HTTP method of a presigned upload.",
  valuesConfig: {
    PUT: { description: "Send the bytes as the body, with `uploadFields` as headers." },
    POST: {
      description:
        "Send a multipart form with `uploadFields` as fields, then the bytes as the last field, `file`.",
    },
  },
});

@ObjectType("Photo", {
  description: "A photo of a person, stripped of its metadata (EXIF, GPS) and re-encoded.",
})
export class Photo {
  @Field(() => ID, { description: "Stable unique id of the photo." })
  id!: string;

  @Field(() => String, {
    description:
      "Where to download the photo. Usually a short-lived link: fetch it, do not store it.",
  })
  url!: string;

  @Field(() => Int, { description: "Place in the person's display order, from 0." })
  position!: number;

  @Field(() => Boolean, {
    description: "Whether this is the person's primary photo (always the one at position 0).",
  })
  isPrimary!: boolean;
}

@ObjectType("UploadField", { description: "A form field or header to send with an upload." })
export class UploadField {
  @Field(() => String, { description: "Field or header name." })
  name!: string;

  @Field(() => String, { description: "Its value." })
  value!: string;
}

@ObjectType("PhotoUpload", {
  description:
    "A presigned upload for one photo. Send the bytes, then call `confirmPhotoUpload` with `photoId`.",
})
export class PhotoUpload {
  @Field(() => ID, { description: "The photo's id, to confirm the upload with." })
  photoId!: string;

  @Field(() => String, { description: "Where to send the bytes." })
  uploadUrl!: string;

  @Field(() => UploadMethod, { description: "The HTTP method to send them with." })
  uploadMethod!: UploadMethod;

  @Field(() => [UploadField], {
    description: "Form fields (POST) or headers (PUT) the upload must carry, in this order.",
  })
  uploadFields!: UploadField[];

  @Field(() => DateTimeScalar, { description: "When the upload URL stops working." })
  expiresAt!: Date;
}

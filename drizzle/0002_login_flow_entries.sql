ALTER TABLE "login_flows" ALTER COLUMN "app_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "login_flows" ALTER COLUMN "redirect_uri" DROP NOT NULL;
function feed(ticks_file, draws_file)
  % Loads the tick sequence and the uniform draws the shadowed randi and
  % rand hand out.
  global LLMSAM_I LLMSAM_IK LLMSAM_U LLMSAM_UK
  LLMSAM_I = csvread(ticks_file); LLMSAM_IK = 0;
  LLMSAM_U = []; LLMSAM_UK = 0;
  if nargin > 1
    LLMSAM_U = csvread(draws_file);
  end
end
